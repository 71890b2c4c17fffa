-- The connected database and the server's autovacuum settings the thresholds fall back to.
-- current_setting(name, true) is NULL where a setting does not exist yet (insert thresholds
-- from 13, the max threshold from 18).
SELECT current_database() AS datname,
       clock_timestamp() AS read_at,
       current_setting('block_size')::int8 AS block_size,
       current_setting('autovacuum')::bool AS autovacuum,
       current_setting('track_counts')::bool AS track_counts,
       current_setting('autovacuum_vacuum_threshold')::float8 AS vac_base,
       current_setting('autovacuum_vacuum_scale_factor')::float8 AS vac_scale,
       current_setting('autovacuum_vacuum_max_threshold', true)::float8 AS vac_max,
       current_setting('autovacuum_vacuum_insert_threshold', true)::float8 AS ins_base,
       current_setting('autovacuum_vacuum_insert_scale_factor', true)::float8 AS ins_scale,
       current_setting('autovacuum_analyze_threshold')::float8 AS anl_base,
       current_setting('autovacuum_analyze_scale_factor')::float8 AS anl_scale,
       current_setting('autovacuum_freeze_max_age')::int8 AS freeze_max_age,
       (SELECT d.stats_reset FROM pg_stat_database d
         WHERE d.datname = current_database()) AS stats_reset
