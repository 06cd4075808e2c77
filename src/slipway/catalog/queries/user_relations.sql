-- The oids of the user's relations (tables, views, materialized views, composite types):
-- spliced into the per-relation queries so all queries can be sent at once. Tables named
-- literally in exclude_tables (the skip parameter) are left out here already, so their columns, indexes
-- and constraints are never read (verify excludes every table it already knows).
SELECT c.oid
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm', 'c')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY(%(schemas)s::text[]))
  AND (%(kinds)s::text IS NULL OR strpos(%(kinds)s::text, c.relkind::text) > 0
       OR (c.relispartition AND strpos(%(kinds)s::text, 'p') > 0))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
  AND NOT (c.relkind IN ('r', 'p', 'f')
           AND (c.relname = ANY(%(skip)s::text[])
                OR n.nspname || '.' || c.relname = ANY(%(skip)s::text[])))
