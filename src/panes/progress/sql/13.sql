-- PostgreSQL 13: no COPY progress (14+).
-- Relation names are read from pg_class by oid (no lock is taken), and only for operations in
-- the connected database: an oid from another database would name an unrelated table here.
WITH ops AS (
    SELECT 'vacuum' AS kind, p.pid, p.datid, p.relid, 'VACUUM' AS command, p.phase,
           'blocks' AS unit,
           CASE WHEN p.phase = 'vacuuming heap' THEN p.heap_blks_vacuumed
                ELSE p.heap_blks_scanned END AS done,
           p.heap_blks_total AS total,
           p.index_vacuum_count AS index_cycles,
           p.num_dead_tuples AS dead_now, p.max_dead_tuples AS dead_max,
           'tuples' AS dead_unit, NULL::int8 AS dead_items,
           NULL::int8 AS parts_done, NULL::int8 AS parts_total,
           NULL::text AS parts_unit, NULL::int8 AS tuples
      FROM pg_stat_progress_vacuum p
    UNION ALL
    SELECT 'analyze', p.pid, p.datid, p.relid, 'ANALYZE', p.phase,
           'blocks', p.sample_blks_scanned, p.sample_blks_total,
           NULL, NULL, NULL, NULL, NULL,
           p.child_tables_done, nullif(p.child_tables_total, 0), 'child tables', NULL
      FROM pg_stat_progress_analyze p
    UNION ALL
    SELECT 'create index', p.pid, p.datid, p.relid, p.command, p.phase,
           CASE WHEN p.phase LIKE 'waiting%' AND p.lockers_total > 0 THEN 'lockers'
                WHEN p.blocks_total > 0 THEN 'blocks'
                ELSE 'tuples' END,
           CASE WHEN p.phase LIKE 'waiting%' AND p.lockers_total > 0 THEN p.lockers_done
                WHEN p.blocks_total > 0 THEN p.blocks_done
                ELSE p.tuples_done END,
           nullif(CASE WHEN p.phase LIKE 'waiting%' AND p.lockers_total > 0 THEN p.lockers_total
                       WHEN p.blocks_total > 0 THEN p.blocks_total
                       ELSE p.tuples_total END, 0),
           NULL, NULL, NULL, NULL, NULL,
           p.partitions_done, nullif(p.partitions_total, 0), 'partitions', NULL
      FROM pg_stat_progress_create_index p
    UNION ALL
    SELECT 'cluster', p.pid, p.datid, p.relid, p.command, p.phase,
           'blocks', p.heap_blks_scanned, nullif(p.heap_blks_total, 0),
           NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, p.heap_tuples_written
      FROM pg_stat_progress_cluster p
    UNION ALL
    SELECT 'base backup', p.pid, NULL, NULL, 'BASE BACKUP', p.phase,
           'bytes', p.backup_streamed, p.backup_total,
           NULL, NULL, NULL, NULL, NULL,
           p.tablespaces_streamed, nullif(p.tablespaces_total, 0), 'tablespaces', NULL
      FROM pg_stat_progress_basebackup p
)
SELECT o.kind, o.pid, a.datname, o.relid::int8 AS relid,
       CASE WHEN o.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
            THEN (SELECT n.nspname || '.' || c.relname
                    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.oid = o.relid) END AS relname,
       o.command, o.phase, o.unit, o.done, o.total,
       a.query_start AS started,
       coalesce(a.backend_type = 'autovacuum worker', false) AS autovacuum,
       coalesce(a.backend_type = 'autovacuum worker'
                AND a.query LIKE '%(to prevent wraparound)%', false) AS wraparound,
       o.index_cycles, o.dead_now, o.dead_max, o.dead_unit, o.dead_items,
       o.parts_done, o.parts_total, o.parts_unit, o.tuples
  FROM ops o
  LEFT JOIN pg_stat_activity a ON a.pid = o.pid
 ORDER BY a.query_start NULLS LAST, o.pid, o.kind
 LIMIT $1
