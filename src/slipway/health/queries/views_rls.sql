-- Views and materialized views that read tables with row-level security enabled.
SELECT v.oid, n.nspname AS schema, v.relname AS name, v.relkind::text AS kind,
       coalesce(v.reloptions::text[] && ARRAY['security_invoker=true', 'security_invoker=on',
                'security_invoker=1', 'security_invoker=yes'], false) AS security_invoker,
       EXISTS (SELECT 1 FROM aclexplode(v.relacl) g WHERE g.grantee <> v.relowner) AS shared,
       array_agg(DISTINCT tn.nspname || '.' || t.relname) AS rls_tables
  FROM pg_class v
  JOIN pg_namespace n ON n.oid = v.relnamespace
  JOIN pg_rewrite r ON r.ev_class = v.oid
  JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
                  AND d.refclassid = 'pg_class'::regclass
  JOIN pg_class t ON t.oid = d.refobjid AND t.oid <> v.oid AND t.relrowsecurity
  JOIN pg_namespace tn ON tn.oid = t.relnamespace
 WHERE v.relkind IN ('v', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
 GROUP BY v.oid, n.nspname, v.relname, v.relkind, v.relacl, v.relowner
