-- One sample: the sessions in a statement or a transaction, nothing else (idle sessions and
-- background processes without a state are filtered on the server). The last row carries the
-- server time the statement took, so the sampler can keep within its budget.
SELECT a.state,
       a.wait_event_type,
       a.wait_event,
       a.datname,
       a.usename,
       left(a.query, $1) AS query,
       {query_id},
       NULL::float8 AS server_us
  FROM pg_stat_activity a
 WHERE a.state <> 'idle' AND a.pid <> pg_backend_pid()
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       (1e6 * extract(epoch FROM clock_timestamp() - statement_timestamp()))::float8
