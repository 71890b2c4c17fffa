-- WAL senders: standbys, logical subscribers and base backups streaming from this server.
-- Byte lag is measured from the current WAL position; on a cascading standby, which has none
-- (pg_current_wal_lsn() raises an error in recovery), from its own replay position.
WITH pos AS (
  SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
              ELSE pg_current_wal_lsn() END AS lsn
)
SELECT r.pid,
       r.usename::text AS usename,
       r.application_name,
       coalesce(r.client_hostname, host(r.client_addr)) AS client,
       r.backend_start,
       r.state,
       r.sync_state,
       r.sync_priority,
       r.sent_lsn::text AS sent_lsn,
       r.write_lsn::text AS write_lsn,
       r.flush_lsn::text AS flush_lsn,
       r.replay_lsn::text AS replay_lsn,
       pg_wal_lsn_diff(pos.lsn, r.sent_lsn)::int8 AS sent_bytes,
       pg_wal_lsn_diff(pos.lsn, r.write_lsn)::int8 AS write_bytes,
       pg_wal_lsn_diff(pos.lsn, r.flush_lsn)::int8 AS flush_bytes,
       pg_wal_lsn_diff(pos.lsn, r.replay_lsn)::int8 AS replay_bytes,
       (extract(epoch FROM r.write_lag) * 1e6)::int8 AS write_lag_us,
       (extract(epoch FROM r.flush_lag) * 1e6)::int8 AS flush_lag_us,
       (extract(epoch FROM r.replay_lag) * 1e6)::int8 AS replay_lag_us,
       r.reply_time,
       sl.slot_name::text AS slot_name,
       sl.slot_type
  FROM pg_stat_replication r
 CROSS JOIN pos
  LEFT JOIN pg_replication_slots sl ON sl.active_pid = r.pid
 ORDER BY r.application_name, r.pid
 LIMIT $1
