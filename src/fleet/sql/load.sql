-- The fleet's line beyond the header's read: what the sessions do (aggregated on the server, one
-- row whatever their number), the oldest database's wraparound age and the xmin horizon's age.
-- Shared catalogs and statistics views only: nothing here waits on a relation lock.
WITH a AS (
  SELECT a.state, a.wait_event_type, a.query_start, a.state_change, a.backend_type,
         a.backend_xmin, a.backend_xid, a.pid = pg_backend_pid() AS own
    FROM pg_stat_activity a
)
SELECT count(*) FILTER (WHERE backend_type = 'client backend')::int8 AS conns,
       count(*) FILTER (WHERE state = 'active' AND NOT own
                          AND backend_type = 'client backend')::int8 AS active,
       count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int8 AS idle_tx,
       (extract(epoch FROM now() - min(state_change)
                FILTER (WHERE state LIKE 'idle in transaction%')) * 1e6)::int8 AS idle_tx_us,
       count(*) FILTER (WHERE wait_event_type = 'Lock')::int8 AS lock_waits,
       (extract(epoch FROM now() - min(query_start)
                FILTER (WHERE wait_event_type = 'Lock')) * 1e6)::int8 AS lock_wait_us,
       (extract(epoch FROM now() - min(query_start)
                FILTER (WHERE state = 'active' AND NOT own
                          AND backend_type = 'client backend')) * 1e6)::int8 AS longest_us,
       (SELECT max(age(datfrozenxid)) FROM pg_database)::int8 AS xid_age,
       greatest(max(greatest(age(backend_xmin), age(backend_xid))) FILTER (WHERE NOT own),
                (SELECT max(greatest(age(xmin), age(catalog_xmin))) FROM pg_replication_slots),
                (SELECT max(age(transaction)) FROM pg_prepared_xacts))::int8 AS xmin_age
  FROM a
