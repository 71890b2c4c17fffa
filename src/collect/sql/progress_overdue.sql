-- Tables of the connected database whose dead tuples come nearest to (or past) the autovacuum
-- threshold: autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples, with the
-- table's own settings where it has them. Statistics and pg_class only: no relation is locked
-- or sized. $1 caps the rows.
WITH t AS (
    SELECT s.relid, s.schemaname, s.relname, s.n_dead_tup, s.last_autovacuum, s.last_vacuum,
           s.autovacuum_count,
           coalesce(o.threshold, current_setting('autovacuum_vacuum_threshold')::float8)
             + coalesce(o.scale_factor, current_setting('autovacuum_vacuum_scale_factor')::float8)
             * greatest(c.reltuples, 0)::float8 AS threshold,
           coalesce(o.enabled, true) AS enabled
      FROM pg_stat_user_tables s
      JOIN pg_class c ON c.oid = s.relid
      LEFT JOIN LATERAL (
          SELECT max(option_value) FILTER (WHERE option_name = 'autovacuum_vacuum_threshold')::float8 AS threshold,
                 max(option_value) FILTER (WHERE option_name = 'autovacuum_vacuum_scale_factor')::float8 AS scale_factor,
                 max(option_value) FILTER (WHERE option_name = 'autovacuum_enabled')::bool AS enabled
            FROM pg_options_to_table(c.reloptions)
      ) o ON true
     WHERE s.n_dead_tup > 0
)
SELECT schemaname || '.' || relname AS relname,
       n_dead_tup AS dead,
       threshold::int8 AS threshold,
       NOT enabled AS autovacuum_disabled,
       last_autovacuum, last_vacuum, autovacuum_count,
       count(*) FILTER (WHERE n_dead_tup > threshold) OVER () AS over_threshold,
       count(*) OVER () AS with_dead
  FROM t
 ORDER BY n_dead_tup / greatest(threshold, 1) DESC, relid
 LIMIT $1
