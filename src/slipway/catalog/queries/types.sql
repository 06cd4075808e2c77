-- Enums (labels in sort order), domains and stand-alone composite types of the user schemas.
SELECT t.oid, n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype,
       ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
             ORDER BY e.enumsortorder) AS labels,
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       NOT t.typnotnull AS nullable, t.typdefault AS "default",
       ARRAY(SELECT c.conname || ': ' || pg_get_constraintdef(c.oid) FROM pg_constraint c
             WHERE c.contypid = t.oid ORDER BY c.conname) AS checks,
       t.typrelid AS rel, pg_get_userbyid(t.typowner) AS owner,
       -- Looked up by index: the built-in objects have thousands of descriptions.
       (SELECT d.description FROM pg_description d
        WHERE d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0)
           AS comment
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
LEFT JOIN pg_class rc ON rc.oid = t.typrelid
WHERE (t.typtype IN ('e', 'd') OR (t.typtype = 'c' AND rc.relkind = 'c'))
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY(%(schemas)s::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_type'::regclass AND e.objid = t.oid AND e.deptype = 'e')
ORDER BY n.nspname, t.typname
