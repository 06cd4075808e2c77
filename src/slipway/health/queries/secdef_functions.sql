-- SECURITY DEFINER functions outside the system schemas, with their search_path setting.
SELECT p.oid::regprocedure::text AS signature, n.nspname AS schema,
       pg_get_userbyid(p.proowner) AS owner,
       (SELECT cfg FROM unnest(p.proconfig) cfg WHERE cfg LIKE 'search\_path=%%' LIMIT 1)
         AS search_path
  FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace
 WHERE p.prosecdef
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass
                     AND d.objid = p.oid AND d.deptype = 'e')
