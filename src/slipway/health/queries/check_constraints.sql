-- CHECK constraints added NOT VALID and never validated.
SELECT k.conname AS name, n.nspname AS schema, c.relname AS table_name,
       pg_get_constraintdef(k.oid) AS definition
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE k.contype = 'c' AND NOT k.convalidated
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
