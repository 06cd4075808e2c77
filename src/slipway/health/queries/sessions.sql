-- Sessions of this database that are idle inside a transaction or have a long-open one
-- (other roles' sessions show their state only to pg_read_all_stats members).
SELECT pid, usename::text AS role, application_name, state,
       extract(epoch FROM now() - xact_start)::float8 AS xact_seconds,
       extract(epoch FROM now() - state_change)::float8 AS state_seconds,
       cardinality(pg_blocking_pids(pid)) AS blocked_by
  FROM pg_stat_activity
 WHERE datname = current_database() AND pid <> pg_backend_pid()
   AND backend_type = 'client backend' AND xact_start IS NOT NULL
