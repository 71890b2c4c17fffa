    SELECT 'base backup', p.pid, NULL, NULL, 'BASE BACKUP', p.phase,
           'bytes', p.backup_streamed, p.backup_total,
           NULL, NULL, NULL, NULL, NULL,
           p.tablespaces_streamed, nullif(p.tablespaces_total, 0), 'tablespaces', NULL
      FROM pg_stat_progress_basebackup p
