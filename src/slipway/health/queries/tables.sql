-- Every user table (ordinary and partitioned), with its stats, sizes, RLS flags and tenancy.
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       c.relispartition AS is_partition,
       c.relrowsecurity AS rls, c.relforcerowsecurity AS rls_forced,
       pg_get_userbyid(c.relowner) AS owner,
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') AS has_pk,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                 AND NOT a.attisdropped AND a.attname = %(tenant_column)s) AS has_tenant_column,
       c.reltuples::bigint AS reltuples, c.relpages,
       coalesce(c.reloptions::text[] @> ARRAY['autovacuum_enabled=false'], false) AS autovacuum_off,
       CASE WHEN c.relkind = 'r' THEN age(c.relfrozenxid) END AS xid_age,
       -- the heap's main fork, exactly (one stat call); index bytes come from the indexes fact
       pg_relation_size(c.oid) AS table_bytes,
       s.seq_scan, s.seq_tup_read, s.idx_scan, s.n_live_tup, s.n_dead_tup,
       s.n_tup_ins, s.n_tup_upd, s.n_tup_del, s.n_mod_since_analyze,
       s.last_vacuum, s.last_autovacuum, s.last_analyze, s.last_autoanalyze,
       w.row_width
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
  LEFT JOIN (SELECT schemaname, tablename, sum(avg_width)::int AS row_width
               FROM pg_stats GROUP BY schemaname, tablename) w
         ON w.schemaname = n.nspname AND w.tablename = c.relname
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp%%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                     AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname
