-- The header's replication facts, read every refresh. A standby has no current WAL position:
-- pg_current_wal_lsn() raises "recovery is in progress" there, so the position comes from a CASE
-- on pg_is_in_recovery(). Both functions are volatile: the planner never pre-evaluates them and
-- the executor runs only the branch taken. The CTE is materialized (volatile), so it runs once.
WITH pos AS (
  SELECT pg_is_in_recovery() AS standby,
         CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
              ELSE pg_current_wal_lsn() END AS lsn
), s AS (
  -- The function behind pg_stat_replication, without the view's join to every backend's
  -- activity row: this runs every refresh, and with 1,000 sessions that join costs ~2 ms.
  SELECT r.state, r.replay_lsn, r.replay_lag, sl.slot_type
    FROM pg_stat_get_wal_senders() r
    LEFT JOIN pg_replication_slots sl ON sl.active_pid = r.pid
)
SELECT pos.standby AS in_recovery,
       (SELECT count(*) FROM s
         WHERE s.slot_type IS DISTINCT FROM 'logical' AND s.state IS DISTINCT FROM 'backup')::int8
         AS standbys,
       (SELECT count(*) FROM s WHERE s.slot_type = 'logical')::int8 AS logical,
       (SELECT max(pg_wal_lsn_diff(pos.lsn, s.replay_lsn)) FROM s)::int8 AS worst_lag_bytes,
       (SELECT (extract(epoch FROM max(s.replay_lag)) * 1e6)::int8 FROM s) AS worst_lag_us,
       CASE WHEN pos.standby
            THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::int8
       END AS replay_lag_bytes,
       CASE WHEN pos.standby THEN pg_last_xact_replay_timestamp() END AS last_replay,
       CASE WHEN pos.standby THEN (SELECT status FROM pg_stat_wal_receiver) END AS receiver_status,
       CASE WHEN pos.standby THEN pg_is_wal_replay_paused() END AS replay_paused,
       (SELECT count(*) FROM pg_replication_slots
         WHERE NOT active AND restart_lsn IS NOT NULL)::int8 AS inactive_slots,
       (SELECT sum(pg_wal_lsn_diff(pos.lsn, restart_lsn)) FROM pg_replication_slots
         WHERE NOT active AND restart_lsn IS NOT NULL)::int8 AS inactive_slots_bytes,
       now() AS now
  FROM pos
