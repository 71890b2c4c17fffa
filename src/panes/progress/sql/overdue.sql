-- Tables of the connected database whose dead tuples come nearest to (or past) the autovacuum
-- threshold: autovacuum_vacuum_threshold + autovacuum_vacuum_scale_factor × reltuples, with the
-- table's own settings where it has them. pg_class and the statistics functions directly (the
-- pg_stat_user_tables view also joins pg_index and groups): no relation is locked or sized.
-- $1 caps the rows.
WITH t AS (
    SELECT c.oid, n.nspname, c.relname,
           pg_stat_get_dead_tuples(c.oid) AS dead,
           coalesce(o.threshold, current_setting('autovacuum_vacuum_threshold')::float8)
             + coalesce(o.scale_factor, current_setting('autovacuum_vacuum_scale_factor')::float8)
             * greatest(c.reltuples, 0)::float8 AS threshold,
           coalesce(o.enabled, true) AS enabled
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN LATERAL (
          SELECT max(option_value) FILTER (WHERE option_name = 'autovacuum_vacuum_threshold')::float8 AS threshold,
                 max(option_value) FILTER (WHERE option_name = 'autovacuum_vacuum_scale_factor')::float8 AS scale_factor,
                 max(option_value) FILTER (WHERE option_name = 'autovacuum_enabled')::bool AS enabled
            FROM pg_options_to_table(c.reloptions)
      ) o ON true
     WHERE c.relkind IN ('r', 'm')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname !~ '^pg_toast'
       AND pg_stat_get_dead_tuples(c.oid) > 0
)
SELECT nspname || '.' || relname AS relname,
       dead,
       threshold::int8 AS threshold,
       NOT enabled AS autovacuum_disabled,
       pg_stat_get_last_autovacuum_time(oid) AS last_autovacuum,
       pg_stat_get_last_vacuum_time(oid) AS last_vacuum,
       pg_stat_get_autovacuum_count(oid) AS autovacuum_count,
       count(*) FILTER (WHERE dead > threshold) OVER () AS over_threshold,
       count(*) OVER () AS with_dead
  FROM t
 ORDER BY dead / greatest(threshold, 1) DESC, oid
 LIMIT $1
