-- Lines of the configuration files the server could not apply (syntax errors, bad values),
-- capped ($1). pg_file_settings is for superusers unless granted:
-- GRANT SELECT ON pg_file_settings TO role; GRANT EXECUTE ON FUNCTION
-- pg_show_all_file_settings() TO role.
SELECT f.sourcefile, f.sourceline, f.seqno, f.name, f.setting, f.applied, f.error
  FROM pg_file_settings f
 WHERE f.error IS NOT NULL
 ORDER BY f.seqno
 LIMIT $1
