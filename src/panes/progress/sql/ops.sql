-- Long operations from the pg_stat_progress_* views the server has (see `read::OPS`): each view
-- is one branch of `ops`, the same columns in the same order.
-- Relation names are read from pg_class by oid (no lock is taken), and only for operations in
-- the connected database: an oid from another database would name an unrelated table here.
WITH ops AS (
{ops}
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
       o.parts_done, o.parts_total, o.parts_unit, o.tuples,
       -- A VACUUM's table: its dead rows, of which those deleted after the xmin horizon stay.
       -- The statistics function reads no catalog and takes no lock.
       CASE WHEN o.kind = 'vacuum'
                 AND o.datid = (SELECT oid FROM pg_database WHERE datname = current_database())
            THEN pg_stat_get_dead_tuples(o.relid) END AS table_dead
  FROM ops o
  LEFT JOIN pg_stat_activity a ON a.pid = o.pid
 ORDER BY a.query_start NULLS LAST, o.pid, o.kind
 LIMIT $1
