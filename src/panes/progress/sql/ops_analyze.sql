    SELECT 'analyze', p.pid, p.datid, p.relid, 'ANALYZE', p.phase,
           'blocks', p.sample_blks_scanned, p.sample_blks_total,
           NULL, NULL, NULL, NULL, NULL,
           p.child_tables_done, nullif(p.child_tables_total, 0), 'child tables', NULL
      FROM pg_stat_progress_analyze p
