-- Partitioned tables and their partitions with bounds (one row per partition, or one with
-- NULL partition for a partitioned table that has none).
SELECT pn.nspname AS schema, p.relname AS table_name, pt.partstrat::text AS strategy,
       (SELECT format_type(a.atttypid, NULL) FROM pg_attribute a
         WHERE a.attrelid = p.oid AND a.attnum = pt.partattrs[0]) AS key_type,
       cn.nspname AS partition_schema, c.relname AS partition_name,
       pg_get_expr(c.relpartbound, c.oid) AS bound,
       c.oid = pt.partdefid AS is_default
  FROM pg_partitioned_table pt
  JOIN pg_class p ON p.oid = pt.partrelid
  JOIN pg_namespace pn ON pn.oid = p.relnamespace
  LEFT JOIN pg_inherits i ON i.inhparent = p.oid
  LEFT JOIN pg_class c ON c.oid = i.inhrelid
  LEFT JOIN pg_namespace cn ON cn.oid = c.relnamespace
 WHERE pn.nspname NOT IN ('pg_catalog', 'information_schema')
   AND NOT p.relispartition
 ORDER BY 1, 2, 6
