-- Queries cancelled on this standby by recovery conflicts, per database (zero on a primary).
SELECT datname::text AS datname,
       confl_tablespace AS tablespace,
       confl_lock AS lock,
       confl_snapshot AS snapshot,
       confl_bufferpin AS bufferpin,
       confl_deadlock AS deadlock,
       {logicalslot}
  FROM pg_stat_database_conflicts
 ORDER BY datname
 LIMIT $1
