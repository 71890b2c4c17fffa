-- Autovacuum settings and the freeze age of every database (pg_database is a shared catalog,
-- cheap to read), oldest first. $1 caps the rows.
SELECT current_setting('autovacuum')::bool AS autovacuum,
       current_setting('track_counts')::bool AS track_counts,
       current_setting('autovacuum_max_workers')::int4 AS max_workers,
       current_setting('autovacuum_freeze_max_age')::int8 AS freeze_max_age,
       current_setting('autovacuum_multixact_freeze_max_age')::int8 AS multixact_freeze_max_age,
       d.datname,
       age(d.datfrozenxid)::int8 AS xid_age,
       mxid_age(d.datminmxid)::int8 AS mxid_age,
       count(*) OVER () AS total
  FROM pg_database d
 ORDER BY age(d.datfrozenxid) DESC, d.datname
 LIMIT $1
