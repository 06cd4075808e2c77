-- Table privileges granted to PUBLIC (every role, present and future).
SELECT c.oid AS table_oid, n.nspname AS schema, c.relname AS table_name,
       array_agg(DISTINCT a.privilege_type ORDER BY a.privilege_type) AS privileges
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  CROSS JOIN LATERAL aclexplode(c.relacl) a
 WHERE c.relkind IN ('r', 'p', 'v', 'm') AND a.grantee = 0
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 GROUP BY c.oid, n.nspname, c.relname
