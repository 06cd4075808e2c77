-- Every index on a user table, with the parts needed to compare indexes (its scans and size
-- are the statistics model's).
-- Key columns are attribute numbers (`keys`, 0 for an expression): resolving names for
-- 10,000 indexes costs more than everything else here, and the checks compare numbers.
SELECT i.indexrelid AS oid, i.indrelid AS table_oid, n.nspname AS schema,
       t.relname AS table_name, x.relname AS name, am.amname AS method,
       string_to_array(i.indkey::text, ' ')::int[] AS keys,
       i.indnkeyatts AS key_count,  -- the rest of `keys` are INCLUDE columns
       i.indclass::text AS opclasses, i.indcollation::text AS collations,
       i.indoption::text AS options,
       pg_get_expr(i.indexprs, i.indrelid) AS expressions,
       pg_get_expr(i.indpred, i.indrelid) AS predicate,
       i.indisunique AS is_unique, i.indisprimary AS is_primary,
       i.indisvalid AS is_valid, i.indisready AS is_ready,
       k.conname AS constraint_name
  FROM pg_index i
  JOIN pg_class x ON x.oid = i.indexrelid
  JOIN pg_class t ON t.oid = i.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_am am ON am.oid = x.relam
  LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                           AND k.contype IN ('p', 'u', 'x')
 WHERE t.relkind IN ('r', 'p', 'm')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\_toast%%'
 ORDER BY n.nspname, t.relname, x.relname
