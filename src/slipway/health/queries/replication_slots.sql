-- Replication slots and how much WAL each holds back.
SELECT slot_name::text AS name, slot_type AS type, active, database::text AS database,
       CASE WHEN pg_is_in_recovery() OR restart_lsn IS NULL THEN NULL
            ELSE pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint END AS retained_bytes
  FROM pg_replication_slots
