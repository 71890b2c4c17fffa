SELECT current_setting('server_version') AS version,
       current_setting('server_version_num')::int4 AS version_num,
       pg_is_in_recovery() AS in_recovery,
       pg_postmaster_start_time() AS start_time,
       now() AS now,
       current_setting('max_connections')::int4 AS max_connections,
       sum(xact_commit + xact_rollback)::int8 AS xacts,
       sum(blks_hit)::int8 AS blks_hit,
       sum(blks_read)::int8 AS blks_read
  FROM pg_stat_database
