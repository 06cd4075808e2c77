-- Columns in the order of slipway.catalog.stats.SequenceStats' fields.
-- How far each sequence has come (last_value: data, not schema; the Catalog has the settings).
-- It is read (which opens the sequence) only where running out is possible in practice: fewer
-- than 2^53 steps of range, capped by the int column a serial or identity sequence feeds, or a
-- small MAXVALUE; a bigint sequence on a bigint column is skipped, so thousands of identity
-- columns cost nothing. Unreadable ones (no SELECT or USAGE) give NULL.
SELECT n.nspname AS schema, c.relname AS name,
       CASE WHEN has_sequence_privilege(c.oid, 'SELECT,USAGE')
             AND (least(s.seqmax, coalesce(col.type_max, s.seqmax))::numeric - s.seqmin)
                 / abs(s.seqincrement) < 2::numeric ^ 53
            THEN pg_sequence_last_value(c.oid) END AS last_value
  FROM pg_sequence s
  JOIN pg_class c ON c.oid = s.seqrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN LATERAL (
        SELECT CASE a.atttypid WHEN 'int2'::regtype THEN 32767
                               WHEN 'int4'::regtype THEN 2147483647 END AS type_max
          FROM pg_depend d
          JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
           AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
         LIMIT 1) col ON true
 WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%%'
