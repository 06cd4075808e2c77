-- Columns: now, the server version, then DatabaseStats' fields in order.
-- This database's size, cache hits and transaction-ID ages, with the moment they were read.
SELECT now() AS now, current_setting('server_version_num')::int AS server_version,
       current_database() AS name, pg_database_size(current_database()) AS bytes,
       d.blks_hit AS blocks_hit, d.blks_read AS blocks_read, d.stats_reset,
       age(db.datfrozenxid) AS xid_age, mxid_age(db.datminmxid) AS mxid_age
  FROM pg_stat_database d
  JOIN pg_database db ON db.oid = d.datid
 WHERE d.datname = current_database()
