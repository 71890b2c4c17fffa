-- What the checks weigh the settings against: client sessions idle in a transaction, active
-- ones, and all of them (not counting this one). Other roles' states are hidden without
-- pg_read_all_stats: `complete` says whether the counts cover everyone.
SELECT count(*) FILTER (WHERE a.state IN ('idle in transaction',
                                          'idle in transaction (aborted)')) AS idle_in_xact,
       extract(epoch FROM max(clock_timestamp() - a.state_change)
           FILTER (WHERE a.state IN ('idle in transaction',
                                     'idle in transaction (aborted)')))::float8 AS longest_idle_in_xact,
       count(*) FILTER (WHERE a.state = 'active') AS active,
       count(*) AS sessions,
       pg_has_role('pg_read_all_stats', 'MEMBER')
           OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS complete
  FROM pg_stat_activity a
 WHERE a.backend_type = 'client backend'
   AND a.pid <> pg_backend_pid()
