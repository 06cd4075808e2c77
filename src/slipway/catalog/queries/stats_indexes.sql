-- Columns in the order of slipway.catalog.stats.IndexStats' fields, after the table oid.
-- Scans and size of every index on a user table or materialized view. Estimated bytes are
-- pages as of the last build, VACUUM or ANALYZE (sizing 10,000 indexes exactly costs 10,000
-- stat calls); exact ones are pg_total_relation_size (every fork: they add up to the table's
-- pg_indexes_size).
SELECT i.indrelid AS table_oid, n.nspname AS schema, t.relname AS "table", x.relname AS name,
       pg_stat_get_numscans(i.indexrelid) AS scans,
       CASE WHEN %(exact)s THEN pg_total_relation_size(i.indexrelid)
            ELSE x.relpages::bigint * current_setting('block_size')::bigint END AS bytes
  FROM pg_index i
  JOIN pg_class x ON x.oid = i.indexrelid
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE t.relkind IN ('r', 'p', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%%'
