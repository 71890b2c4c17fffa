-- The tables of the connected database, ranked on the server by the pane's sort key ($2),
-- largest first or smallest first ($3), and capped ($1), with the total. Only pg_class and the statistics functions: nothing here opens
-- a relation, so no relation lock is ever waited on (no pg_relation_size: sizes are relpages
-- times the block size, an estimate as of the last VACUUM or ANALYZE).
WITH cfg AS (
    SELECT current_setting('autovacuum_vacuum_threshold')::float8 AS vac_base,
           current_setting('autovacuum_vacuum_scale_factor')::float8 AS vac_scale,
           nullif(current_setting('autovacuum_vacuum_max_threshold', true)::float8, -1) AS vac_max
), t AS (
    SELECT c.oid AS relid, n.nspname AS schemaname, c.relname, c.relkind::text AS relkind,
           c.relpersistence::text AS relpersistence, c.relpages::int8 AS relpages,
           c.reltuples::float8 AS reltuples, c.reltoastrelid, c.relfrozenxid, c.relminmxid,
           o.*
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      LEFT JOIN LATERAL (
          SELECT bool_or(option_value::bool) FILTER (WHERE option_name = 'autovacuum_enabled') AS opt_enabled,
                 max(option_value::float8) FILTER (WHERE option_name = 'autovacuum_vacuum_threshold') AS opt_vac_base,
                 max(option_value::float8) FILTER (WHERE option_name = 'autovacuum_vacuum_scale_factor') AS opt_vac_scale,
                 max(option_value::float8) FILTER (WHERE option_name = 'autovacuum_vacuum_max_threshold') AS opt_vac_max,
                 max(option_value::float8) FILTER (WHERE option_name = 'autovacuum_vacuum_insert_threshold') AS opt_ins_base,
                 max(option_value::float8) FILTER (WHERE option_name = 'autovacuum_vacuum_insert_scale_factor') AS opt_ins_scale,
                 max(option_value::float8) FILTER (WHERE option_name = 'autovacuum_analyze_threshold') AS opt_anl_base,
                 max(option_value::float8) FILTER (WHERE option_name = 'autovacuum_analyze_scale_factor') AS opt_anl_scale
            FROM pg_options_to_table(c.reloptions)
      ) o ON true
     WHERE c.relkind IN ('r', 'm', 'p')
       AND n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname !~ '^pg_toast'
), ranked AS (
    SELECT t.*, count(*) OVER () AS total,
           CASE $2::text
               WHEN 'dead' THEN pg_stat_get_dead_tuples(t.relid)::float8
               WHEN 'dead_pct' THEN pg_stat_get_dead_tuples(t.relid)::float8
                   / nullif(pg_stat_get_dead_tuples(t.relid) + pg_stat_get_live_tuples(t.relid), 0)
               WHEN 'size' THEN t.relpages::float8
               WHEN 'seq_tup_read' THEN pg_stat_get_tuples_returned(t.relid)::float8
               WHEN 'seq_scan' THEN pg_stat_get_numscans(t.relid)::float8
               WHEN 'mods' THEN pg_stat_get_mod_since_analyze(t.relid)::float8
               WHEN 'xid_age' THEN age(t.relfrozenxid)::float8
               -- Dead tuples past the autovacuum threshold: the reloptions when set, else the
               -- server's settings; reltuples is -1 before the first ANALYZE (14+).
               ELSE pg_stat_get_dead_tuples(t.relid)
                   - least(coalesce(t.opt_vac_base, cfg.vac_base)
                           + coalesce(t.opt_vac_scale, cfg.vac_scale) * greatest(t.reltuples, 0),
                           coalesce(nullif(t.opt_vac_max, -1), cfg.vac_max))
           END AS sort_key
      FROM t, cfg
), top AS (
    SELECT * FROM ranked
     ORDER BY CASE WHEN $3::bool THEN -sort_key ELSE sort_key END DESC NULLS LAST, relid
     LIMIT $1
)
SELECT r.relid, r.schemaname, r.relname, r.relkind, r.relpersistence, r.total, r.sort_key,
       r.relpages, r.reltuples,
       (SELECT tc.relpages::int8 FROM pg_class tc WHERE tc.oid = r.reltoastrelid) AS toast_pages,
       (SELECT sum(ic.relpages)::int8 FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
         WHERE x.indrelid = r.relid) AS index_pages,
       CASE WHEN r.relfrozenxid <> '0'::xid THEN age(r.relfrozenxid) END AS xid_age,
       CASE WHEN r.relminmxid <> '0'::xid THEN mxid_age(r.relminmxid) END AS mxid_age,
       r.opt_enabled, r.opt_vac_base, r.opt_vac_scale, r.opt_vac_max, r.opt_ins_base,
       r.opt_ins_scale, r.opt_anl_base, r.opt_anl_scale,
       pg_stat_get_live_tuples(r.relid) AS n_live_tup,
       pg_stat_get_dead_tuples(r.relid) AS n_dead_tup,
       pg_stat_get_mod_since_analyze(r.relid) AS n_mod_since_analyze,
       {ins_since_vacuum},
       pg_stat_get_numscans(r.relid) AS seq_scan,
       pg_stat_get_tuples_returned(r.relid) AS seq_tup_read,
       (SELECT sum(pg_stat_get_numscans(x.indexrelid))::int8 FROM pg_index x
         WHERE x.indrelid = r.relid) AS idx_scan,
       pg_stat_get_tuples_inserted(r.relid) AS n_tup_ins,
       pg_stat_get_tuples_updated(r.relid) AS n_tup_upd,
       pg_stat_get_tuples_deleted(r.relid) AS n_tup_del,
       pg_stat_get_tuples_hot_updated(r.relid) AS n_tup_hot_upd,
       {newpage_upd},
       {last_scans},
       pg_stat_get_last_vacuum_time(r.relid) AS last_vacuum,
       pg_stat_get_last_autovacuum_time(r.relid) AS last_autovacuum,
       pg_stat_get_last_analyze_time(r.relid) AS last_analyze,
       pg_stat_get_last_autoanalyze_time(r.relid) AS last_autoanalyze,
       pg_stat_get_vacuum_count(r.relid) AS vacuum_count,
       pg_stat_get_autovacuum_count(r.relid) AS autovacuum_count,
       pg_stat_get_analyze_count(r.relid) AS analyze_count,
       pg_stat_get_autoanalyze_count(r.relid) AS autoanalyze_count,
       {vacuum_time},
       clock_timestamp() AS read_at
  FROM top r
 ORDER BY CASE WHEN $3::bool THEN -r.sort_key ELSE r.sort_key END DESC NULLS LAST, r.relid
