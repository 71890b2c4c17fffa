-- What this server and this login can do. Runs once per connection (and again after every
-- reconnect: a standby may have been promoted, grants may have changed).
SELECT current_setting('server_version_num')::int4 AS version_num,
       current_setting('server_version') AS version,
       pg_is_in_recovery() AS in_recovery,
       pg_backend_pid() AS own_pid,
       current_user::text AS login,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       pg_has_role('pg_monitor', 'MEMBER') AS pg_monitor,
       pg_has_role('pg_read_all_stats', 'MEMBER') AS pg_read_all_stats,
       pg_has_role('pg_signal_backend', 'MEMBER') AS pg_signal_backend,
       has_function_privilege('pg_catalog.pg_blocking_pids(integer)', 'EXECUTE') AS can_blocking_pids,
       (SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements') AS pg_stat_statements,
       current_setting('max_connections')::int4 AS max_connections,
       current_setting('superuser_reserved_connections')::int4 AS superuser_reserved_connections,
       -- reserved_connections exists from 16; missing_ok gives NULL before.
       current_setting('reserved_connections', true)::int4 AS reserved_connections,
       pg_size_bytes(current_setting('track_activity_query_size'))::int8 AS track_activity_query_size
