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
