-- What holds back the xmin horizon: sessions with a snapshot or a transaction id (a walsender's
-- xmin is its standby's hot_standby_feedback), replication slots, prepared transactions. Our
-- own session holds a snapshot while this runs and is left out, and so are running (lazy)
-- VACUUMs, whose xmin other vacuums ignore. $1 caps each source.
SELECT * FROM (
(SELECT CASE WHEN a.backend_type = 'walsender' THEN 'standby' ELSE 'backend' END AS kind,
        a.pid, a.application_name AS name, a.datname, a.usename, a.state,
        CASE WHEN a.backend_xid IS NOT NULL
                  AND (a.backend_xmin IS NULL OR age(a.backend_xid) >= age(a.backend_xmin))
             THEN 'xid' ELSE 'xmin' END AS what,
        greatest(age(a.backend_xmin), age(a.backend_xid))::int8 AS xid_age,
        CASE WHEN a.backend_type = 'walsender' THEN a.backend_start ELSE a.xact_start END AS since
   FROM pg_stat_activity a
  WHERE a.pid <> pg_backend_pid()
    AND (a.backend_xmin IS NOT NULL OR a.backend_xid IS NOT NULL)
    -- A plain VACUUM's snapshot is ignored by every other vacuum's horizon: not a holder.
    AND a.pid NOT IN (SELECT v.pid FROM pg_stat_progress_vacuum v)
  ORDER BY 8 DESC, a.backend_xid IS NOT NULL DESC, 9 NULLS LAST, 2
  LIMIT $1)
UNION ALL
(SELECT 'slot', s.active_pid, s.slot_name::text, s.database::text, NULL,
        CASE WHEN s.active THEN 'active' ELSE 'inactive' END,
        CASE WHEN s.xmin IS NULL THEN 'catalog_xmin' ELSE 'xmin' END,
        greatest(age(s.xmin), age(s.catalog_xmin))::int8,
        NULL::timestamptz
   FROM pg_replication_slots s
  WHERE s.xmin IS NOT NULL OR s.catalog_xmin IS NOT NULL
  ORDER BY 8 DESC, 3
  LIMIT $1)
UNION ALL
(SELECT 'prepared', NULL, p.gid, p.database::text, p.owner::text, NULL, 'transaction',
        age(p.transaction)::int8, p.prepared
   FROM pg_prepared_xacts p
  ORDER BY 8 DESC, 3
  LIMIT $1)
) h
-- Equal ages: the owner of the xid before those whose snapshot merely includes it, then the
-- longest held.
ORDER BY xid_age DESC, what IN ('xid', 'transaction') DESC, since NULLS LAST, kind, name
