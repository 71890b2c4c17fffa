-- The exact size of one table, on demand only: these functions open the relation and its
-- indexes, so they wait on any lock that conflicts with ACCESS SHARE; the caller runs this
-- under a short lock_timeout and reports "locked" instead of waiting.
SELECT pg_table_size($1::oid) AS table_bytes,
       pg_indexes_size($1::oid) AS index_bytes,
       pg_total_relation_size($1::oid) AS total_bytes
