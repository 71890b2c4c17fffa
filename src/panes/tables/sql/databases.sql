-- The databases the login may connect to, for switching the pane's database: statistics are
-- per database. A catalog read, the same from any database of the cluster.
SELECT d.datname
  FROM pg_database d
 WHERE d.datallowconn AND NOT d.datistemplate
   AND has_database_privilege(d.oid, 'CONNECT')
 ORDER BY d.datname
