-- Per-database, per-role and per-role-in-database settings (ALTER DATABASE / ALTER ROLE ...
-- SET), capped ($1). pg_db_role_setting is readable by every role.
SELECT d.datname, r.rolname, c.cfg
  FROM pg_db_role_setting s
  LEFT JOIN pg_database d ON d.oid = s.setdatabase
  LEFT JOIN pg_roles r ON r.oid = s.setrole
 CROSS JOIN LATERAL unnest(s.setconfig) AS c(cfg)
 ORDER BY d.datname NULLS FIRST, r.rolname NULLS FIRST, c.cfg
 LIMIT $1
