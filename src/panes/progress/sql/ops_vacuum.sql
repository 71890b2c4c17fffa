    SELECT 'vacuum' AS kind, p.pid, p.datid, p.relid, 'VACUUM' AS command, p.phase,
           'blocks' AS unit,
           CASE WHEN p.phase = 'vacuuming heap' THEN p.heap_blks_vacuumed
                ELSE p.heap_blks_scanned END AS done,
           p.heap_blks_total AS total,
           p.index_vacuum_count AS index_cycles,
           {vacuum_counts}
      FROM pg_stat_progress_vacuum p
