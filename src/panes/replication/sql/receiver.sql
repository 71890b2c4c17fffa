-- The standby side: the WAL receiver and how far replay trails what was received. On a primary
-- the view is empty and the recovery functions are skipped: pg_is_wal_replay_paused() raises an
-- error outside recovery, and the CASE runs only the branch taken (the functions are volatile,
-- so the planner never pre-evaluates them).
SELECT pg_is_in_recovery() AS in_recovery,
       w.pid,
       w.status,
       w.sender_host,
       w.sender_port,
       w.slot_name::text AS slot_name,
       w.received_tli::int8 AS received_tli,
       {flushed},
       w.last_msg_send_time,
       w.last_msg_receipt_time,
       w.latest_end_lsn::text AS latest_end_lsn,
       w.latest_end_time,
       CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn()::text END AS receive_lsn,
       CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END AS replay_lsn,
       CASE WHEN pg_is_in_recovery()
            THEN pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::int8
       END AS replay_bytes,
       CASE WHEN pg_is_in_recovery() THEN pg_last_xact_replay_timestamp() END AS last_replay,
       CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() END AS paused,
       current_setting('hot_standby_feedback')::bool AS hot_standby_feedback,
       now() AS now
  FROM (SELECT 1) AS one
  LEFT JOIN pg_stat_wal_receiver w ON true
 LIMIT 1
