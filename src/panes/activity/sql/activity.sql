-- The sessions; leader_pid from 13 on, query_id from 14 on.
-- pg_blocking_pids() takes the lock manager's shared state exclusively: only call it for
-- backends that wait on a heavyweight lock (CASE evaluates it lazily, per row).
SELECT a.pid,
       a.datname,
       a.usename,
       a.application_name,
       CASE WHEN a.client_port = -1 THEN '[local]'
            ELSE coalesce(a.client_hostname, host(a.client_addr)) END AS client,
       a.backend_type,
       a.state,
       a.wait_event_type,
       a.wait_event,
       a.backend_start,
       a.xact_start,
       a.query_start,
       a.state_change,
       -- Oldest xid this backend holds back from vacuum: its snapshot or its own xid.
       greatest(age(a.backend_xmin), age(a.backend_xid)) AS xmin_age,
       CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END AS blocked_by,
       left(a.query, $1) AS query,
       {leader_pid},
       {query_id},
       -- The pooler pane's join: a pooler's server connection has this as its local_port.
       a.client_port,
       NULL::float8 AS server_us
  FROM pg_stat_activity a
 WHERE a.pid <> pg_backend_pid()
UNION ALL
-- Last: the server time the read took, for pacing (see collect/pace.rs).
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       (1e6 * extract(epoch FROM clock_timestamp() - statement_timestamp()))::float8
