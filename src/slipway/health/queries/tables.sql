-- Every user table (ordinary and partitioned), with its stats, sizes, RLS flags and tenancy.
-- Statistics come from the pg_stat_get_* functions directly (cheaper than joining the
-- pg_stat_user_tables view); a table's index scans are summed from the indexes fact.
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       c.relispartition AS is_partition,
       c.relrowsecurity AS rls, c.relforcerowsecurity AS rls_forced,
       pg_get_userbyid(c.relowner) AS owner,
       EXISTS (SELECT 1 FROM aclexplode(c.relacl) g WHERE g.grantee <> c.relowner) AS shared,
       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = c.oid AND k.contype = 'p') AS has_pk,
       EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0
                 AND NOT a.attisdropped AND a.attname = %(tenant_column)s) AS has_tenant_column,
       c.reltuples::bigint AS reltuples, c.relpages,
       coalesce(c.reloptions::text[] @> ARRAY['autovacuum_enabled=false'], false) AS autovacuum_off,
       CASE WHEN c.relkind = 'r' THEN age(c.relfrozenxid) END AS xid_age,
       -- heap pages as of the last VACUUM/ANALYZE (pg_relation_size opens the relation: a
       -- relcache build and a lock per table); exact only for tables never vacuumed or
       -- analyzed that hold rows. Index bytes come from the indexes fact.
       CASE WHEN c.relpages > 0 OR pg_stat_get_live_tuples(c.oid)
                                   + pg_stat_get_dead_tuples(c.oid) = 0
            THEN c.relpages::bigint * current_setting('block_size')::bigint
            ELSE pg_relation_size(c.oid) END AS table_bytes,
       pg_stat_get_numscans(c.oid) AS seq_scan,
       pg_stat_get_tuples_returned(c.oid) AS seq_tup_read,
       pg_stat_get_live_tuples(c.oid) AS n_live_tup,
       pg_stat_get_dead_tuples(c.oid) AS n_dead_tup,
       pg_stat_get_tuples_inserted(c.oid) AS n_tup_ins,
       pg_stat_get_tuples_updated(c.oid) AS n_tup_upd,
       pg_stat_get_tuples_deleted(c.oid) AS n_tup_del,
       pg_stat_get_mod_since_analyze(c.oid) AS n_mod_since_analyze,
       pg_stat_get_last_vacuum_time(c.oid) AS last_vacuum,
       pg_stat_get_last_autovacuum_time(c.oid) AS last_autovacuum,
       pg_stat_get_last_analyze_time(c.oid) AS last_analyze,
       pg_stat_get_last_autoanalyze_time(c.oid) AS last_autoanalyze,
       w.row_width
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  -- average row width for the bloat estimate, only for tables of 1 MB and more (pg_stats is
  -- an expensive view; small tables' bloat does not matter)
  LEFT JOIN LATERAL (SELECT sum(st.avg_width)::int AS row_width FROM pg_stats st
                      WHERE c.relpages >= 128  -- a one-time filter: small tables skip the view
                        AND st.schemaname = n.nspname AND st.tablename = c.relname) w ON true
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp%%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                     AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname
