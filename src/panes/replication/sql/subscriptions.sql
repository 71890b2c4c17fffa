-- Logical subscriptions of the whole cluster and their apply workers. subconninfo is never
-- read: it may hold a password (and is not granted to PUBLIC).
SELECT s.subname::text AS subname,
       d.datname::text AS datname,
       s.subenabled AS enabled,
       s.subslotname::text AS slot_name,
       array_to_string(s.subpublications, ', ') AS publications,
       w.pid,
       w.received_lsn::text AS received_lsn,
       w.latest_end_lsn::text AS latest_end_lsn,
       w.last_msg_send_time,
       w.last_msg_receipt_time,
       w.latest_end_time,
       (SELECT count(*) FROM pg_stat_subscription t
         WHERE t.subid = s.oid AND t.relid IS NOT NULL)::int8 AS syncing,
       {errors}
  FROM pg_subscription s
  LEFT JOIN pg_database d ON d.oid = s.subdbid
  LEFT JOIN pg_stat_subscription w ON w.subid = s.oid AND w.relid IS NULL{leader}{stats}
 ORDER BY s.subname, w.pid
 LIMIT $1
