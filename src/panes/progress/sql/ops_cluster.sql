    SELECT 'cluster', p.pid, p.datid, p.relid, p.command, p.phase,
           'blocks', p.heap_blks_scanned, nullif(p.heap_blks_total, 0),
           NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, p.heap_tuples_written
      FROM pg_stat_progress_cluster p
