-- User schemas (and extensions, which are database-wide) with owner, grants and comment.
SELECT n.nspname AS name, pg_get_userbyid(n.nspowner) AS owner,
       COALESCE(n.nspacl, acldefault('n', n.nspowner))::text[] AS acl,
       d.description AS comment
FROM pg_namespace n
LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY(%(schemas)s::text[]))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_namespace'::regclass AND e.objid = n.oid
                    AND e.deptype = 'e')
ORDER BY n.nspname
