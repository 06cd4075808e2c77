-- Sequences with how far they have come, capped by the type of the column they feed.
SELECT s.schemaname AS schema, s.sequencename AS name, s.data_type::text AS data_type,
       s.min_value, s.max_value, s.increment_by, s.cycle, s.last_value,
       col.table_name, col.column_name, col.column_type
  FROM pg_sequences s
  JOIN pg_namespace n ON n.nspname = s.schemaname
  JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename
  LEFT JOIN LATERAL (
        SELECT tn.nspname || '.' || t.relname AS table_name, a.attname AS column_name,
               format_type(a.atttypid, NULL) AS column_type
          FROM pg_depend d
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_namespace tn ON tn.oid = t.relnamespace
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
         LIMIT 1) col ON true
 WHERE s.schemaname NOT IN ('pg_catalog', 'information_schema')
