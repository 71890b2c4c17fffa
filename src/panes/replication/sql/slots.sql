-- Replication slots and the WAL each one keeps (from restart_lsn to the current position; on a
-- standby, its replay position, since pg_current_wal_lsn() is primary-only).
WITH pos AS (
  SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()
              ELSE pg_current_wal_lsn() END AS lsn
)
SELECT s.slot_name::text AS slot_name,
       s.plugin::text AS plugin,
       s.slot_type,
       s.database::text AS datname,
       s.temporary,
       s.active,
       s.active_pid,
       age(s.xmin)::int8 AS xmin_age,
       age(s.catalog_xmin)::int8 AS catalog_xmin_age,
       s.restart_lsn::text AS restart_lsn,
       s.confirmed_flush_lsn::text AS confirmed_flush_lsn,
       pg_wal_lsn_diff(pos.lsn, s.restart_lsn)::int8 AS retained_bytes,
       {wal},
       {conflicting},
       {inactive},
       count(*) OVER () AS total
  FROM pg_replication_slots s
 CROSS JOIN pos
 ORDER BY s.active, pg_wal_lsn_diff(pos.lsn, s.restart_lsn) DESC NULLS LAST, s.slot_name
 LIMIT $1
