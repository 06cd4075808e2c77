-- One row about the server, this database and this session (its statistics: sizes, cache
-- hits, transaction-ID ages, are the statistics model's, slipway.catalog.stats).
SELECT current_setting('server_version') AS server_version, now() AS now,
       current_setting('server_version_num')::int AS server_version_num,
       current_database() AS database,
       current_user AS current_user,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS is_superuser,
       pg_has_role(current_user, 'pg_read_all_stats', 'USAGE') AS can_read_all_stats,
       current_setting('max_connections')::int AS max_connections,
       current_setting('superuser_reserved_connections')::int AS reserved_connections,
       (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend') AS connections,
       (SELECT count(*) FROM pg_stat_activity
         WHERE backend_type = 'client backend' AND datname = current_database()) AS db_connections,
       (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
       (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl_version,
       inet_server_addr()::text AS server_addr,
       current_setting('autovacuum_freeze_max_age')::bigint AS freeze_max_age,
       current_setting('archive_mode') AS archive_mode, pg_is_in_recovery() AS in_recovery,
       a.archived_count, a.last_archived_time, a.failed_count, a.last_failed_time
  FROM pg_stat_archiver a
