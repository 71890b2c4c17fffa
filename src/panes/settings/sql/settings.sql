-- Every parameter, with where its value comes from. sourcefile and sourceline are NULL unless
-- the login is a superuser or a member of pg_read_all_settings (pg_monitor includes it). Read
-- in full (about 350 rows): the checks look at parameters still at their defaults too.
SELECT name, setting, unit, vartype, category, short_desc, extra_desc, context, source,
       sourcefile, sourceline, boot_val, reset_val, pending_restart,
       pg_has_role('pg_read_all_settings', 'MEMBER')
           OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS files_visible
  FROM pg_settings
 ORDER BY name
