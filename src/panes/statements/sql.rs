//! The pane's statements, composed from one base per read and version-gated column
//! expressions. The columns come from the *installed extension's* version, not the server's:
//! after pg_upgrade an extension stays at its old version (and its old function signature)
//! until `ALTER EXTENSION pg_stat_statements UPDATE`.
//!
//! A refresh reads `pg_stat_statements(showtext := false)`, which skips the query text file.
//! Now and then (see `texts`) a refresh reads `showtext := true` instead, with the texts of
//! the entries that lack one: the function loads the whole text file and copies every text
//! whatever the WHERE clause, so the texts come with that refresh's counters rather than in a
//! second scan, and all missing texts come at once.
//!
//! Most entries do not change between two refreshes, and sending 10,000 rows cost about as
//! much server time as the function itself. So where the extension reports evictions (1.9+),
//! a refresh reads `changed`: the client sends back the fingerprint of every entry it holds
//! and only the entries whose fingerprint is not among them come back (see `read`).

/// Ends the read every refresh makes, so that its own pg_stat_statements entry is found by its
/// text and tells what the read costs the server (see `pace`). At the end: from 18 the stored
/// text starts at the statement, without the comments before it.
pub const MARK: &str = "/* pgscope statements */";

/// Ends the whole counters read where it is not the every-refresh read (it is made now and
/// then to see entries that left), so that the pace measures the read every refresh makes.
const MARK_ALL: &str = "/* pgscope statements, all */";

/// Characters of a query text kept in the list's cache; the full text is read on demand.
pub const TEXT_CAP: i32 = 2048;

/// The installed extension version, e.g. "1.10" -> (1, 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct ExtVersion(pub u32, pub u32);

impl ExtVersion {
    pub fn parse(s: &str) -> Option<ExtVersion> {
        let (major, minor) = s.trim().split_once('.')?;
        Some(ExtVersion(major.parse().ok()?, minor.parse().ok()?))
    }
}

impl std::fmt::Display for ExtVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.0, self.1)
    }
}

/// What the installed extension provides, from its version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)] // independent facts of one version
pub struct Features {
    pub version: ExtVersion,
    /// `toplevel` in the key and the `pg_stat_statements_info` view (dealloc, stats_reset): 1.9.
    pub toplevel_and_info: bool,
    /// `total_exec_time` (was `total_time`), planning and WAL columns: 1.8.
    pub exec_plan_wal: bool,
    /// `shared_blk_read_time` (was `blk_read_time`) and `stats_since`: 1.11.
    pub shared_blk_time_and_since: bool,
}

impl Features {
    pub fn of(version: ExtVersion) -> Features {
        Features {
            version,
            toplevel_and_info: version >= ExtVersion(1, 9),
            exec_plan_wal: version >= ExtVersion(1, 8),
            shared_blk_time_and_since: version >= ExtVersion(1, 11),
        }
    }
}

/// One output column: its expression when the version has it, else a typed NULL.
struct Col {
    alias: &'static str,
    expr: Option<&'static str>,
    null_type: &'static str,
}

/// The counters read's columns, in the order `decode` reads them.
fn counter_columns(f: Features) -> [Col; 16] {
    let exec = f.exec_plan_wal;
    let since = f.shared_blk_time_and_since;
    let col = |alias, expr, null_type| Col {
        alias,
        expr,
        null_type,
    };
    [
        col("userid", Some("s.userid"), "oid"),
        col("dbid", Some("s.dbid"), "oid"),
        col("queryid", Some("s.queryid"), "int8"),
        col(
            "toplevel",
            f.toplevel_and_info.then_some("s.toplevel"),
            "bool",
        ),
        col("calls", Some("s.calls"), "int8"),
        col(
            "exec_ms",
            Some(if exec {
                "s.total_exec_time"
            } else {
                "s.total_time"
            }),
            "float8",
        ),
        col("plans", exec.then_some("s.plans"), "int8"),
        col("plan_ms", exec.then_some("s.total_plan_time"), "float8"),
        col("rows", Some("s.rows"), "int8"),
        col("shared_hit", Some("s.shared_blks_hit"), "int8"),
        col("shared_read", Some("s.shared_blks_read"), "int8"),
        col("temp_written", Some("s.temp_blks_written"), "int8"),
        col("wal_bytes", exec.then_some("s.wal_bytes::float8"), "float8"),
        col(
            "io_read_ms",
            Some(if since {
                "s.shared_blk_read_time"
            } else {
                "s.blk_read_time"
            }),
            "float8",
        ),
        col(
            "io_write_ms",
            Some(if since {
                "s.shared_blk_write_time"
            } else {
                "s.blk_write_time"
            }),
            "float8",
        ),
        col(
            "stats_since",
            since.then_some("s.stats_since"),
            "timestamptz",
        ),
    ]
}

/// An entry's fingerprint: a 64-bit hash of its key and of the counts that every update of
/// the entry increments (calls; plans, 1.8+), so a changed entry has another fingerprint.
/// `hashint8extended` (PostgreSQL 11+) hashes its value folded to 32 bits with a 64-bit seed:
/// the queryid goes into the outer value, everything else into the seed. NULL for the rows
/// whose queryid the server hides: they are always sent.
fn fingerprint(f: Features) -> String {
    let plans = if f.exec_plan_wal { "s.plans" } else { "0::int8" };
    let top = if f.toplevel_and_info {
        "(CASE WHEN s.toplevel THEN 1 ELSE 0 END)::int8 << 62"
    } else {
        "0::int8"
    };
    format!(
        "hashint8extended(s.queryid, hashint8extended((s.userid::int8 << 32) | s.dbid::int8, \
         s.calls # ({plans} << 32) # ({top})))"
    )
}

fn select_list(cols: &[Col]) -> String {
    cols.iter()
        .map(|c| match c.expr {
            Some(e) => format!("{e} AS {}", c.alias),
            None => format!("NULL::{} AS {}", c.null_type, c.alias),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// `schema` quoted as an identifier: the extension may live in any schema.
pub fn quote_ident(schema: &str) -> String {
    format!("\"{}\"", schema.replace('"', "\"\""))
}

/// The pane's statements for one connection, composed once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sql {
    /// All entries' counters and fingerprints, no texts: every refresh where `changed` is
    /// `None`, else now and then.
    pub counters: String,
    /// Every refresh when the extension reports evictions (1.9+): the counters and
    /// fingerprints of the entries whose fingerprint is not in `$1` (int8[]).
    pub changed: Option<String>,
    /// Every refresh: the server's clock and the reset and eviction facts.
    pub info: String,
    /// Now and then, instead of `counters`: the same columns and the fingerprint, then the texts of the entries
    /// whose queryid is in `$1` (int8[]), or of all when `$2` is true, cut to [`TEXT_CAP`]
    /// characters, and whether they were cut (NULL for the others).
    pub texts: String,
    /// On demand: one entry's full text (`$1` userid, `$2` dbid, `$3` queryid, `$4` toplevel).
    pub full_text: String,
}

impl Sql {
    pub fn compose(f: Features, schema: &str) -> Sql {
        let s = quote_ident(schema);
        let cols = select_list(&counter_columns(f));
        let fp = fingerprint(f);
        let every_refresh = !f.toplevel_and_info;
        let counters = format!(
            "SELECT {cols}, {fp} AS fp FROM {s}.pg_stat_statements(false) s {}",
            if every_refresh { MARK } else { MARK_ALL }
        );
        // An anti join against a hash of the held fingerprints (also in the generic plan): a
        // row is compared with one bucket, not with every element of the array.
        let changed = (!every_refresh).then(|| {
            format!(
                "SELECT {cols}, f.fp FROM {s}.pg_stat_statements(false) s \
                 CROSS JOIN LATERAL (SELECT {fp} AS fp) f \
                 WHERE NOT EXISTS (SELECT FROM unnest($1::int8[]) h(fp) WHERE h.fp = f.fp) {MARK}"
            )
        });
        let info = if f.toplevel_and_info {
            format!(
                "SELECT now() AS now, pg_postmaster_start_time() AS started, \
                 i.stats_reset, i.dealloc FROM {s}.pg_stat_statements_info i"
            )
        } else {
            "SELECT now() AS now, pg_postmaster_start_time() AS started, \
             NULL::timestamptz AS stats_reset, NULL::int8 AS dealloc"
                .to_owned()
        };
        // A hash join against the wanted ids: `= ANY($1)` would compare every row with every
        // element of a parameter array.
        let texts = format!(
            "SELECT {cols}, {fp} AS fp, \
             CASE WHEN $2::bool OR w.queryid IS NOT NULL THEN left(s.query, {TEXT_CAP}) END AS query, \
             CASE WHEN $2::bool OR w.queryid IS NOT NULL THEN length(s.query) > {TEXT_CAP} END AS cut \
             FROM {s}.pg_stat_statements(true) s \
             LEFT JOIN (SELECT DISTINCT unnest($1::int8[]) AS queryid) w ON w.queryid = s.queryid"
        );
        let toplevel_match = if f.toplevel_and_info {
            "s.toplevel IS NOT DISTINCT FROM $4::bool"
        } else {
            "$4::bool IS NULL"
        };
        let full_text = format!(
            "SELECT s.query FROM {s}.pg_stat_statements(true) s \
             WHERE s.userid = $1::oid AND s.dbid = $2::oid AND s.queryid = $3::int8 \
             AND {toplevel_match}"
        );
        Sql {
            counters,
            changed,
            info,
            texts,
            full_text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order_numerically() {
        assert_eq!(ExtVersion::parse("1.10"), Some(ExtVersion(1, 10)));
        assert!(ExtVersion(1, 10) > ExtVersion(1, 9));
        assert_eq!(ExtVersion::parse("1"), None);
        assert_eq!(ExtVersion::parse("x.y"), None);
    }

    #[test]
    fn old_extension_reads_old_names_and_nulls_for_the_rest() {
        let sql = Sql::compose(Features::of(ExtVersion(1, 7)), "public");
        assert!(sql.counters.contains("s.total_time AS exec_ms"));
        assert!(sql.counters.contains("NULL::float8 AS plan_ms"));
        assert!(sql.counters.contains("NULL::bool AS toplevel"));
        assert!(sql.counters.contains("s.blk_read_time AS io_read_ms"));
        assert!(!sql.info.contains("pg_stat_statements_info"));
        // No dealloc to see evictions by: every refresh reads every entry, and is the one
        // the pace measures.
        assert_eq!(sql.changed, None);
        assert!(sql.counters.ends_with(MARK));
        assert!(sql.counters.contains("(0::int8 << 32)"));
    }

    #[test]
    fn newest_extension_reads_renamed_columns() {
        let sql = Sql::compose(Features::of(ExtVersion(1, 11)), "ext \"x\"");
        assert!(sql.counters.contains("s.total_exec_time AS exec_ms"));
        assert!(
            sql.counters
                .contains("s.shared_blk_read_time AS io_read_ms")
        );
        assert!(sql.counters.contains("s.stats_since AS stats_since"));
        assert!(
            sql.counters
                .contains("FROM \"ext \"\"x\"\"\".pg_stat_statements(false)")
        );
        assert!(sql.info.contains("pg_stat_statements_info"));
        let changed = sql.changed.unwrap();
        assert!(changed.ends_with(MARK) && !sql.counters.contains(MARK));
        assert!(changed.contains("unnest($1::int8[])") && changed.contains("s.plans << 32"));
    }
}
