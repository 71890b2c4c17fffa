-- Indexes of the connected database ($2 NULL) or of one table ($2 its oid), the interesting
-- ones first (invalid, duplicate, never scanned, large), capped ($1) with the total. Catalogs
-- and statistics only: no relation is opened. Two indexes are duplicates when they are on the
-- same table with the same access method, key and included columns, expressions, predicate,
-- operator classes, collations and options; of a group, the one kept backs a constraint, is
-- valid, is unique, or else is the oldest. Expressions and predicates are compared as stored
-- node trees without their parse locations: pg_get_expr() would open the table and wait
-- behind an ACCESS EXCLUSIVE lock. Ranking carries narrow rows; names are looked up for the
-- rows kept.
WITH building AS MATERIALIZED (
    SELECT p.index_relid, p.relid FROM pg_stat_progress_create_index p
), i AS (
    SELECT x.indexrelid, x.indrelid, ic.relpages::int8 AS relpages,
           pg_stat_get_numscans(x.indexrelid) AS idx_scan,
           x.indisvalid, x.indisunique, con.oid AS conoid,
           md5(concat_ws(' | ', ic.relam::text, x.indnkeyatts::text, x.indkey::text,
                         x.indclass::text, x.indcollation::text, x.indoption::text,
                         regexp_replace(x.indexprs::text, ' :location -?[0-9]+', '', 'g'),
                         regexp_replace(x.indpred::text, ' :location -?[0-9]+', '', 'g')))
               AS shape
      FROM pg_index x
      JOIN pg_class ic ON ic.oid = x.indexrelid
      JOIN pg_class t ON t.oid = x.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      LEFT JOIN pg_constraint con ON con.conindid = x.indexrelid AND con.contype IN ('p', 'u', 'x')
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname !~ '^pg_toast'
       AND ($2::oid IS NULL OR x.indrelid = $2::oid)
), grouped AS (
    SELECT i.*, first_value(i.indexrelid) OVER w AS keeper, count(*) OVER () AS total
      FROM i
    WINDOW w AS (PARTITION BY i.indrelid, i.shape
                 ORDER BY i.conoid IS NOT NULL DESC, i.indisvalid DESC, i.indisunique DESC,
                          i.indexrelid)
), top AS (
    SELECT * FROM grouped
     ORDER BY NOT indisvalid DESC, keeper <> indexrelid DESC,
              (idx_scan = 0 AND NOT indisunique AND conoid IS NULL) DESC,
              relpages DESC, indexrelid
     LIMIT $1
)
SELECT r.indexrelid, r.indrelid, n.nspname AS schemaname, t.relname AS table_name,
       ic.relname AS index_name, am.amname, ic.relkind::text AS index_kind,
       quote_ident(n.nspname) || '.' || quote_ident(ic.relname) AS index_ident,
       quote_ident(n.nspname) || '.' || quote_ident(t.relname) AS table_ident,
       r.relpages, r.idx_scan, x.indisvalid, x.indisready, x.indisunique, x.indisprimary,
       x.indisexclusion, x.indisreplident,
       con.contype::text AS contype, quote_ident(con.conname) AS constraint_ident,
       EXISTS (SELECT 1 FROM building b
                WHERE b.index_relid = r.indexrelid
                   OR (b.relid = r.indrelid AND b.index_relid = 0)) AS building,
       r.total,
       CASE WHEN r.keeper <> r.indexrelid
            THEN (SELECT k.relname FROM pg_class k WHERE k.oid = r.keeper) END AS duplicate_of
  FROM top r
  JOIN pg_index x ON x.indexrelid = r.indexrelid
  JOIN pg_class ic ON ic.oid = r.indexrelid
  JOIN pg_class t ON t.oid = r.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_constraint con ON con.oid = r.conoid
 ORDER BY NOT x.indisvalid DESC, r.keeper <> r.indexrelid DESC,
          (r.idx_scan = 0 AND NOT x.indisunique AND r.conoid IS NULL) DESC,
          r.relpages DESC, r.indexrelid
