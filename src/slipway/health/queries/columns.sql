-- Columns of the given tables (for the CRUD check's test rows): type, default, nullability.
SELECT a.attrelid AS table_oid, a.attnum AS num, a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       coalesce(bt.typtype, t.typtype)::text AS typtype,
       coalesce(bt.oid, t.oid)::regtype::text AS base_type,
       t.typcategory::text AS category,
       a.attnotnull AS not_null, a.atthasdef AS has_default,
       a.attidentity::text AS identity, a.attgenerated::text AS generated,
       (SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = coalesce(bt.oid, t.oid)
         ORDER BY e.enumsortorder LIMIT 1) AS first_enum_label,
       -- the first value a one-column CHECK (col IN ('a', 'b')) allows
       (SELECT replace(substring(pg_get_constraintdef(k.oid)
                                 FROM 'ANY \(\(?ARRAY\[''((?:[^'']|'''')*)'''), '''''', '''')
          FROM pg_constraint k
         WHERE k.conrelid = a.attrelid AND k.contype = 'c' AND k.conkey = ARRAY[a.attnum]
           AND pg_get_constraintdef(k.oid) ~ 'ANY \(\(?ARRAY\['''
         LIMIT 1) AS allowed_value
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
 WHERE a.attrelid = ANY(%(oids)s) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum
