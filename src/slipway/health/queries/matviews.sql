-- Materialized views and whether they hold data.
SELECT m.schemaname AS schema, m.matviewname AS name, m.ispopulated AS populated,
       pg_total_relation_size(format('%%I.%%I', m.schemaname, m.matviewname)::regclass) AS bytes
  FROM pg_matviews m
 WHERE m.schemaname NOT IN ('pg_catalog', 'information_schema')
