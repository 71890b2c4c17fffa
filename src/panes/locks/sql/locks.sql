-- The Locks pane; pg_locks.waitstart from 14 on (before, the wait shows the query age).
-- pg_locks is read once and aggregated on the server, so 200,000 locks cost about what one
-- grouped aggregate of pg_locks costs, and a few kilobytes on the wire; each list is cut to $1
-- rows. An advisory or object lock's holders are found in the same aggregate: each group keeps
-- the targets of such locks in an array (a second read of pg_locks cost as much as the first). Relation names come from pg_class by oid (no regclass cast, no function that opens a
-- relation); only relations of the connected database and shared catalogs can be named.
-- pg_blocking_pids() is not called here: who blocks whom comes from the activity query, which
-- calls it for lock waiters only.
WITH g AS MATERIALIZED (
    -- One hash aggregate over pg_locks, per session and kind of lock. For the lock types whose
    -- target the key names whole (a relation, a page or row of one, a transaction), a group is
    -- one lock: a prepared transaction (no pid) keeps its virtualtransaction apart. A session
    -- waits for one lock at most, so a group of waiting locks is one lock: the rest of what it
    -- waits for is kept with it.
    SELECT pid, locktype, mode, granted, coalesce(database, 0) AS db,
           coalesce(relation, 0) AS rel, virtualxid, transactionid,
           CASE WHEN locktype IN ('page', 'tuple') THEN page END AS page,
           CASE WHEN locktype = 'tuple' THEN tuple END AS tuple,
           CASE WHEN pid IS NULL THEN virtualtransaction END AS virtualtransaction,
           -- NULL for the lock types named whole; for the others, part of the target.
           objsubid AS sub,
           count(*) AS n,
           -- The targets of advisory and object locks (the types with an objid, and frozenid),
           -- classid and objid in one int8, to find who holds a waited one.
           array_agg((coalesce(classid, 0)::int8 << 32) | coalesce(objid, 0)::int8)
               FILTER (WHERE objid IS NOT NULL OR locktype = 'frozenid') AS keys,
           min(classid) FILTER (WHERE NOT granted) AS classid,
           min(objid) FILTER (WHERE NOT granted) AS objid,
           min(objsubid) FILTER (WHERE NOT granted) AS objsubid,
           min({waitstart}) FILTER (WHERE NOT granted) AS waitstart
      FROM pg_locks
     -- Not pgscope's own: this very read's locks on pg_locks and the catalogs.
     WHERE pid IS DISTINCT FROM pg_backend_pid()
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12
),
waited AS (
    SELECT DISTINCT locktype, db, rel, page, tuple, virtualxid, transactionid, classid, objid,
           objsubid,
           locktype IN ('relation', 'extend', 'page', 'tuple', 'transactionid', 'virtualxid')
               AS whole,
           (coalesce(classid, 0)::int8 << 32) | coalesce(objid, 0)::int8 AS key
      FROM g
     WHERE NOT granted
),
contended AS MATERIALIZED (
    SELECT * FROM (
        -- Locks on a waited-for target the aggregate names whole: its groups.
        SELECT g.pid, g.locktype, g.mode, g.granted, g.db, g.rel, g.page, g.tuple,
               g.virtualxid, g.transactionid, g.classid, g.objid, g.objsubid, g.waitstart,
               g.virtualtransaction
          FROM g
          JOIN waited w
            ON w.whole
           AND g.locktype = w.locktype AND g.db = w.db AND g.rel = w.rel
           AND g.page IS NOT DISTINCT FROM w.page AND g.tuple IS NOT DISTINCT FROM w.tuple
           AND g.virtualxid IS NOT DISTINCT FROM w.virtualxid
           AND g.transactionid IS NOT DISTINCT FROM w.transactionid
        UNION ALL
        -- Advisory and object locks: the groups that hold a waited target, one row each
        -- (a session holds a target once per mode); only the groups of a waited lock type
        -- have their targets unnested, and a hash of the waited ones is probed.
        SELECT g.pid, g.locktype, g.mode, g.granted, w.db, w.rel, g.page, g.tuple,
               g.virtualxid, g.transactionid, w.classid, w.objid, w.objsubid, g.waitstart,
               g.virtualtransaction
          FROM (SELECT g.*, unnest(g.keys) AS key
                  FROM g
                 WHERE g.locktype IN (SELECT locktype FROM waited WHERE NOT whole)) g
          JOIN waited w
            ON NOT w.whole
           AND g.locktype = w.locktype
           AND g.key = w.key
           AND g.db = w.db
           AND g.rel = w.rel
           AND g.page IS NOT DISTINCT FROM w.page
           AND g.tuple IS NOT DISTINCT FROM w.tuple
           AND g.virtualxid IS NOT DISTINCT FROM w.virtualxid
           AND g.transactionid IS NOT DISTINCT FROM w.transactionid
           AND g.sub IS NOT DISTINCT FROM w.objsubid
    ) c
     ORDER BY granted, pid
     LIMIT $1::int8 + 1
),
by_pid AS (
    -- A session has one xid and one vxid lock of its own: kept with their ids.
    SELECT pid, locktype, mode, granted, db, rel, virtualxid, transactionid, sum(n)::int8 AS n
      FROM g
     WHERE pid IN (SELECT pid FROM contended)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
     ORDER BY pid, granted, n DESC
     LIMIT $1::int8
),
grouped AS (
    SELECT locktype, mode, granted, db, rel, n,
           count(*) OVER () AS groups_total,
           sum(n) OVER ()::int8 AS locks_total
      FROM (SELECT locktype, mode, granted, db,
                   CASE WHEN locktype IN ('relation', 'extend', 'page', 'tuple') THEN rel ELSE 0 END AS rel,
                   sum(n)::int8 AS n
              FROM g
             GROUP BY 1, 2, 3, 4, 5) s
     ORDER BY granted, n DESC, locktype, mode
     LIMIT $1::int8
),
-- A prepared transaction's locks have no pid; its own transactionid lock ties their
-- virtualtransaction to its xid, and so to its gid.
prepared AS (
    SELECT g.virtualtransaction, p.gid, p.prepared, p.owner, p.database
      FROM g
      JOIN pg_prepared_xacts p ON g.transactionid = p.transaction
     WHERE g.pid IS NULL AND g.locktype = 'transactionid' AND g.granted
),
u AS (
    SELECT 'contended' AS kind, pid, locktype, mode, granted, db, rel,
           coalesce(page, -1) AS page, coalesce(tuple, -1)::int4 AS tuple,
           coalesce(virtualxid, '') AS vxid, coalesce(transactionid::text, '') AS xid,
           coalesce(classid, 0) AS classid, coalesce(objid, 0) AS objid,
           coalesce(objsubid, -1)::int4 AS objsubid, waitstart, virtualtransaction,
           1::int8 AS n, NULL::int8 AS groups_total, NULL::int8 AS locks_total
      FROM contended
    UNION ALL
    SELECT 'pid', pid, locktype, mode, granted, db, rel, -1, -1, coalesce(virtualxid, ''),
           coalesce(transactionid::text, ''), 0, 0, -1, NULL, NULL, n, NULL, NULL
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
