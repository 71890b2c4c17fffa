-- The Locks pane; pg_locks.waitstart from 14 on (before, the wait shows the query age).
-- pg_locks is read once and aggregated here, so 200,000 locks cost one scan and a few
-- kilobytes on the wire; each list is cut to $1 rows. Relation names come from pg_class by oid
-- (no regclass cast, no function that opens a relation); only relations of the connected
-- database and shared catalogs can be named. pg_blocking_pids() is not called here: who blocks
-- whom comes from the activity query, which calls it for lock waiters only.
WITH l AS MATERIALIZED (
    SELECT locktype,
           coalesce(database, 0) AS db,
           coalesce(relation, 0) AS rel,
           coalesce(page, -1) AS page,
           coalesce(tuple, -1)::int4 AS tuple,
           coalesce(virtualxid, '') AS vxid,
           coalesce(transactionid::text, '') AS xid,
           coalesce(classid, 0) AS classid,
           coalesce(objid, 0) AS objid,
           coalesce(objsubid, -1)::int4 AS objsubid,
           virtualtransaction, pid, mode, granted, {waitstart}
      FROM pg_locks
     -- Not pgscope's own: this very read's locks on pg_locks and the catalogs.
     WHERE pid IS DISTINCT FROM pg_backend_pid()
),
waited AS (
    SELECT DISTINCT locktype, db, rel, page, tuple, vxid, xid, classid, objid, objsubid
      FROM l
     WHERE NOT granted
),
contended AS MATERIALIZED (
    SELECT l.*
      FROM l
      JOIN waited USING (locktype, db, rel, page, tuple, vxid, xid, classid, objid, objsubid)
     ORDER BY l.granted, l.pid
     LIMIT $1::int8 + 1
),
by_pid AS (
    -- A session has one xid and one vxid lock of its own: kept with their ids.
    SELECT l.pid, l.locktype, l.mode, l.granted, l.db, l.rel, l.vxid, l.xid, count(*) AS n
      FROM l
     WHERE l.pid IN (SELECT pid FROM contended)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ORDER BY l.pid, l.granted, n DESC
     LIMIT $1::int8
),
grouped AS (
    SELECT locktype, mode, granted, db, rel, n,
           count(*) OVER () AS groups_total,
           sum(n) OVER ()::int8 AS locks_total
      FROM (SELECT locktype, mode, granted, db,
                   CASE WHEN locktype IN ('relation', 'extend', 'page', 'tuple') THEN rel ELSE 0 END AS rel,
                   count(*) AS n
              FROM l
             GROUP BY 1, 2, 3, 4, 5) g
     ORDER BY granted, n DESC, locktype, mode
     LIMIT $1::int8
),
-- A prepared transaction's locks have no pid; its own transactionid lock ties their
-- virtualtransaction to its xid, and so to its gid.
prepared AS (
    SELECT l.virtualtransaction, p.gid, p.prepared, p.owner, p.database
      FROM l
      JOIN pg_prepared_xacts p ON l.xid = p.transaction::text
     WHERE l.pid IS NULL AND l.locktype = 'transactionid' AND l.granted
),
u AS (
    SELECT 'contended' AS kind, pid, locktype, mode, granted, db, rel, page, tuple, vxid, xid,
           classid, objid, objsubid, waitstart, virtualtransaction, 1::int8 AS n,
           NULL::int8 AS groups_total, NULL::int8 AS locks_total
      FROM contended
    UNION ALL
    SELECT 'pid', pid, locktype, mode, granted, db, rel, -1, -1, vxid, xid, 0, 0, -1, NULL, NULL, n,
           NULL, NULL
      FROM by_pid
    UNION ALL
    SELECT 'group', NULL, locktype, mode, granted, db, rel, -1, -1, '', '', 0, 0, -1, NULL, NULL, n,
           groups_total, locks_total
      FROM grouped
)
SELECT u.kind, u.pid, u.locktype, u.mode, u.granted, u.db::int8 AS database, d.datname,
       u.rel::int8 AS relation, n.nspname AS schema, c.relname,
       nullif(u.page, -1) AS page, nullif(u.tuple, -1) AS tuple,
       nullif(u.vxid, '') AS virtualxid, nullif(u.xid, '') AS transactionid,
       u.classid::int8 AS classid, u.objid::int8 AS objid, nullif(u.objsubid, -1) AS objsubid,
       u.waitstart, u.n AS count, u.groups_total, u.locks_total,
       p.gid, p.prepared, p.owner AS prepared_owner, p.database AS prepared_database
  FROM u
  LEFT JOIN pg_database d ON d.oid = u.db
  LEFT JOIN pg_class c
         ON c.oid = u.rel
        AND u.db IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
  LEFT JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN prepared p ON u.pid IS NULL AND u.kind = 'contended'
                      AND p.virtualtransaction = u.virtualtransaction
