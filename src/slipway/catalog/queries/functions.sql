-- Functions, procedures and aggregates of the user schemas, without extension members.
-- `definitions` false leaves pg_get_functiondef out: it decompiles each function, the costly
-- part of reading thousands (a reader of flags, such as the doctor, needs none).
SELECT n.nspname AS schema, p.proname AS name, oidvectortypes(p.proargtypes) AS arg_types,
       pg_get_function_identity_arguments(p.oid) AS identity_args,
       CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS result,
       p.prokind::text AS kind, l.lanname AS language,
       CASE WHEN p.prokind <> 'a' AND %(definitions)s THEN pg_get_functiondef(p.oid) END
           AS definition,
       CASE WHEN p.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(p.oid)
            ELSE p.prosrc END AS source,
       p.prosecdef AS security_definer, p.proconfig AS config,
       p.provolatile::text AS volatility, p.proisstrict AS strict,
       pg_get_userbyid(p.proowner) AS owner,
       COALESCE(p.proacl, acldefault('f', p.proowner))::text[] AS acl,
       -- Looked up by index: the built-in objects have thousands of descriptions.
       (SELECT d.description FROM pg_description d
        WHERE d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0)
           AS comment
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY(%(schemas)s::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_proc'::regclass AND e.objid = p.oid AND e.deptype = 'e')
ORDER BY n.nspname, p.proname, oidvectortypes(p.proargtypes) COLLATE "C"
