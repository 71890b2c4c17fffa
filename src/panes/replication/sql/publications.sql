-- Publications of the connected database (publications are per database) and their tables.
SELECT p.pubname::text AS pubname,
       p.puballtables AS all_tables,
       (SELECT count(*) FROM pg_publication_rel r WHERE r.prpubid = p.oid)::int8 AS tables,
       p.pubinsert AS inserts,
       p.pubupdate AS updates,
       p.pubdelete AS deletes
  FROM pg_publication p
 ORDER BY p.pubname
 LIMIT $1
