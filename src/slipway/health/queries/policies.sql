-- Row-level security policies, one row per policy.
SELECT p.polrelid AS table_oid, n.nspname AS schema, c.relname AS table_name,
       p.polname AS name, p.polcmd::text AS cmd, p.polpermissive AS permissive
  FROM pg_policy p
  JOIN pg_class c ON c.oid = p.polrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
