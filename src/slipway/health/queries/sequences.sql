-- Sequences with how far they have come, capped by the type of the column they feed.
-- last_value is read (which opens the sequence) only where running out is possible in
-- practice: fewer than 2^53 steps of range, e.g. int columns or a small MAXVALUE; a bigint
-- sequence on a bigint column is skipped, so thousands of identity columns cost nothing.
SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS data_type,
       s.seqmin AS min_value, s.seqmax AS max_value, s.seqincrement AS increment_by,
       s.seqcycle AS cycle,
       CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
             AND (least(s.seqmax, coalesce(col.type_max, s.seqmax))::numeric - s.seqmin)
                 / abs(s.seqincrement) < 2::numeric ^ 53
            THEN pg_sequence_last_value(c.oid) END AS last_value,
       col.table_name, col.column_name, col.column_type
  FROM pg_sequence s
  JOIN pg_class c ON c.oid = s.seqrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN LATERAL (
        SELECT tn.nspname || '.' || t.relname AS table_name, a.attname AS column_name,
               format_type(a.atttypid, NULL) AS column_type,
               CASE a.atttypid WHEN 'int2'::regtype THEN 32767
                               WHEN 'int4'::regtype THEN 2147483647 END AS type_max
          FROM pg_depend d
          JOIN pg_class t ON t.oid = d.refobjid
          JOIN pg_namespace tn ON tn.oid = t.relnamespace
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
         LIMIT 1) col ON true
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
