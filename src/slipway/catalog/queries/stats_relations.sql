-- Columns in the order of slipway.catalog.stats.TableStats' fields (read as tuples).
-- Statistics of every user table, partitioned table and materialized view (the structure is
-- the Catalog's). The pg_stat_get_* functions are cheaper than the pg_stat_user_tables view.
-- Estimated sizes are heap pages as of the last VACUUM/ANALYZE (pg_relation_size opens the
-- relation: a relcache build and a lock per table), exact only for tables never vacuumed or
-- analyzed that hold rows; exact ones are pg_table_size. A table's index bytes are summed
-- from stats_indexes.
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS kind,
       c.reltuples::float8 AS estimated_rows, c.relpages::bigint AS pages,
       CASE WHEN %(exact)s THEN pg_table_size(c.oid)
            WHEN c.relpages > 0 OR pg_stat_get_live_tuples(c.oid)
                                   + pg_stat_get_dead_tuples(c.oid) = 0
            THEN greatest(c.relpages, 0)::bigint * current_setting('block_size')::bigint
            ELSE pg_relation_size(c.oid) END AS table_bytes,
       w.row_width,
       pg_stat_get_numscans(c.oid) AS seq_scan,
       pg_stat_get_tuples_returned(c.oid) AS seq_tup_read,
       pg_stat_get_live_tuples(c.oid) AS live_tuples,
       pg_stat_get_dead_tuples(c.oid) AS dead_tuples,
       pg_stat_get_tuples_inserted(c.oid) AS inserted,
       pg_stat_get_tuples_updated(c.oid) AS updated,
       pg_stat_get_tuples_deleted(c.oid) AS deleted,
       pg_stat_get_mod_since_analyze(c.oid) AS modified_since_analyze,
       pg_stat_get_last_vacuum_time(c.oid) AS last_vacuum,
       pg_stat_get_last_autovacuum_time(c.oid) AS last_autovacuum,
       pg_stat_get_last_analyze_time(c.oid) AS last_analyze,
       pg_stat_get_last_autoanalyze_time(c.oid) AS last_autoanalyze,
       CASE WHEN c.relkind IN ('r', 'm') THEN age(c.relfrozenxid) END AS xid_age
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  -- average row width for the bloat estimate, only for tables of 1 MB and more (pg_stats is
  -- an expensive view; small tables' bloat does not matter)
  LEFT JOIN LATERAL (SELECT sum(st.avg_width)::int AS row_width FROM pg_stats st
                      WHERE c.relpages >= 128  -- a one-time filter: small tables skip the view
                        AND st.schemaname = n.nspname AND st.tablename = c.relname) w ON true
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%%' AND n.nspname NOT LIKE 'pg\_temp%%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass
                     AND d.objid = c.oid AND d.deptype = 'e')
