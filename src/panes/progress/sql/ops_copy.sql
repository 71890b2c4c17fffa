    SELECT 'copy', p.pid, p.datid, nullif(p.relid, 0), p.command, lower(p.type),
           'bytes', p.bytes_processed, nullif(p.bytes_total, 0),
           NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, p.tuples_processed
      FROM pg_stat_progress_copy p
