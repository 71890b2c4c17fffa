//! Whether a query text can be EXPLAINed, decided before anything is sent: truncated text is
//! refused (a guessed statement is not the one running), so are utility statements and
//! several statements. A text with `$n` parameters (a backend's query over the extended
//! protocol, a normalized pg_stat_statements text) is prepared and the generic plan of the
//! prepared statement explained: `EXPLAIN (GENERIC_PLAN) EXECUTE` from PostgreSQL 16, before 16
//! `EXPLAIN EXECUTE` with NULL arguments under `plan_cache_mode = force_generic_plan`.

/// What to send, or why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Explain {
        statement: String,
    },
    /// For `$n` parameters: `prepare` the statement (parameter types inferred), then EXPLAIN its
    /// generic plan with `execute` (NULL arguments, under `plan_cache_mode =
    /// force_generic_plan`, with GENERIC_PLAN from 16).
    Prepared {
        prepare: String,
        execute: String,
    },
    Refuse(String),
}

/// The name of the statement prepared for planning, on a connection of its own.
pub const PREPARED: &str = "pgscope_explain";

/// [`check`] for a pg_stat_statements text, which is never truncated by the server (a cut
/// cached copy is read again in full first).
pub fn check_statement(query: &str, version_num: i32) -> Verdict {
    check(query, false, version_num)
}

/// Statements EXPLAIN accepts and that can be planned outside the session that ran them.
const EXPLAINABLE: [&str; 8] = [
    "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "VALUES", "WITH", "TABLE",
];

pub fn check(query: &str, truncated: bool, version_num: i32) -> Verdict {
    if truncated {
        return Verdict::Refuse(
            "the query text was truncated at track_activity_query_size: cannot EXPLAIN".to_owned(),
        );
    }
    let scan = scan(query);
    let Some(first) = scan.first_word.as_deref() else {
        return Verdict::Refuse("no query to EXPLAIN".to_owned());
    };
    if first == "EXPLAIN" {
        return Verdict::Refuse("the query is already an EXPLAIN".to_owned());
    }
    if !EXPLAINABLE.contains(&first) {
        return Verdict::Refuse(format!("{first} statements cannot be EXPLAINed"));
    }
    if scan.statements > 1 {
        return Verdict::Refuse("several statements: EXPLAIN takes one".to_owned());
    }
    let body = query.trim().trim_end_matches(';').trim_end();
    if scan.has_params {
        // Over the extended protocol the `$n` of an `EXPLAIN (GENERIC_PLAN) ...` become the
        // message's own parameters, and the values bound to them (NULL) are folded into the
        // plan as constants ("One-Time Filter: false"). A prepared statement keeps them its
        // own: its generic plan never sees a value, and from 16 GENERIC_PLAN on the EXECUTE
        // keeps executor-start partition pruning from using the NULLs too (before 16 it may
        // prune partitions on them; nothing else sees them, and nothing is executed).
        let nulls = vec!["NULL"; scan.max_param].join(", ");
        let generic = if version_num >= 160_000 {
            "(GENERIC_PLAN) "
        } else {
            ""
        };
        return Verdict::Prepared {
            prepare: format!("PREPARE {PREPARED} AS {body}"),
            execute: format!("EXPLAIN {generic}EXECUTE {PREPARED}({nulls})"),
        };
    }
    Verdict::Explain {
        statement: format!("EXPLAIN {body}"),
    }
}

#[derive(Debug, Default)]
struct Scan {
    first_word: Option<String>,
    /// Statements with content (a trailing `;` does not start another).
    statements: usize,
    has_params: bool,
    /// The highest `$n`.
    max_param: usize,
}

/// A small SQL lexer: skips comments, string literals (standard, E'', dollar-quoted) and quoted
/// identifiers, and notes the first keyword, `;` separators and `$n` parameters outside them.
fn scan(sql: &str) -> Scan {
    let b = sql.as_bytes();
    let mut out = Scan::default();
    let mut i = 0;
    let mut in_statement = false;
    while i < b.len() {
        let c = b[i];
        match c {
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(b, i);
                continue;
            }
            b';' => {
                in_statement = false;
                i += 1;
                continue;
            }
            _ if c.is_ascii_whitespace() => {
                i += 1;
                continue;
            }
            _ => {}
        }
        if !in_statement {
            in_statement = true;
            out.statements += 1;
        }
        match c {
            b'\'' => i = skip_quoted(b, i, b'\'', is_escape_string(b, i)),
            b'"' => i = skip_quoted(b, i, b'"', false),
            b'$' if b.get(i + 1).is_some_and(u8::is_ascii_digit) => {
                out.has_params = true;
                let start = i + 1;
                i = start;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
                let n = sql[start..i].parse().unwrap_or(usize::MAX);
                // An absurd number is left to the server to refuse, not allocated for.
                out.max_param = out.max_param.max(n.min(65_535));
            }
            b'$' => i = skip_dollar_quoted(b, i),
            _ if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$')
                {
                    i += 1;
                }
                if out.first_word.is_none() {
                    out.first_word = Some(sql[start..i].to_ascii_uppercase());
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn is_escape_string(b: &[u8], quote: usize) -> bool {
    quote > 0
        && matches!(b[quote - 1], b'E' | b'e')
        && (quote < 2 || !(b[quote - 2].is_ascii_alphanumeric() || b[quote - 2] == b'_'))
}

/// Index just past a quoted literal starting at `start`; a doubled quote is part of it.
pub(crate) fn skip_quoted(b: &[u8], start: usize, quote: u8, backslash: bool) -> usize {
    let mut i = start + 1;
    while i < b.len() {
        if backslash && b[i] == b'\\' {
            i += 2;
            continue;
        }
        if b[i] == quote {
            if b.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    b.len()
}

pub(crate) fn skip_block_comment(b: &[u8], start: usize) -> usize {
    let (mut i, mut depth) = (start + 2, 1);
    while i < b.len() && depth > 0 {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    i
}

/// `$tag$ ... $tag$`; a lone `$` that does not open one is skipped.
fn skip_dollar_quoted(b: &[u8], start: usize) -> usize {
    let mut j = start + 1;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    if b.get(j) != Some(&b'$') {
        return start + 1;
    }
    let tag = &b[start..=j];
    let mut i = j + 1;
    while i + tag.len() <= b.len() {
        if &b[i..i + tag.len()] == tag {
            return i + tag.len();
        }
        i += 1;
    }
    b.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn explain(q: &str) -> String {
        match check(q, false, 160_000) {
            Verdict::Explain { statement } => statement,
            other => panic!("not explained as is {q:?}: {other:?}"),
        }
    }

    fn refused(q: &str, version: i32) -> String {
        match check(q, false, version) {
            Verdict::Refuse(r) => r,
            other => panic!("accepted {q:?} as {other:?}"),
        }
    }

    #[test]
    fn plain_statements_are_explained() {
        assert_eq!(explain("  select 1;  "), "EXPLAIN select 1");
        assert_eq!(
            explain("/* app */ -- x\nUPDATE t SET a = 1"),
            "EXPLAIN /* app */ -- x\nUPDATE t SET a = 1"
        );
        assert_eq!(
            explain("WITH x AS (SELECT 1) SELECT * FROM x"),
            "EXPLAIN WITH x AS (SELECT 1) SELECT * FROM x"
        );
    }

    #[test]
    fn utility_and_multiple_statements_are_refused() {
        assert_eq!(
            refused("VACUUM big", 160_000),
            "VACUUM statements cannot be EXPLAINed"
        );
        assert_eq!(
            refused("COPY t FROM STDIN", 160_000),
            "COPY statements cannot be EXPLAINed"
        );
        assert_eq!(
            refused("COMMIT", 160_000),
            "COMMIT statements cannot be EXPLAINed"
        );
        assert_eq!(
            refused("CREATE INDEX i ON t(a)", 160_000),
            "CREATE statements cannot be EXPLAINed"
        );
        assert_eq!(
            refused("SELECT 1; DROP TABLE t", 160_000),
            "several statements: EXPLAIN takes one"
        );
        assert_eq!(
            refused("EXPLAIN ANALYZE DELETE FROM t", 160_000),
            "the query is already an EXPLAIN"
        );
        assert_eq!(refused("", 160_000), "no query to EXPLAIN");
    }

    #[test]
    fn semicolons_and_dollars_inside_literals_do_not_count() {
        assert_eq!(
            explain("SELECT ';', \"a;b\", $x$ ; $1 $x$, E'\\'; $2'"),
            "EXPLAIN SELECT ';', \"a;b\", $x$ ; $1 $x$, E'\\'; $2'"
        );
        assert_eq!(
            explain("SELECT 1 /* ; $1 /* nested */ */"),
            "EXPLAIN SELECT 1 /* ; $1 /* nested */ */"
        );
    }

    #[test]
    fn parameters_are_planned_as_a_prepared_statement() {
        assert_eq!(
            check("SELECT * FROM t WHERE id = $1", false, 160_000),
            Verdict::Prepared {
                prepare: "PREPARE pgscope_explain AS SELECT * FROM t WHERE id = $1".to_owned(),
                execute: "EXPLAIN (GENERIC_PLAN) EXECUTE pgscope_explain(NULL)".to_owned(),
            }
        );
        assert_eq!(
            check("SELECT * FROM t WHERE id = $2", false, 150_000),
            Verdict::Prepared {
                prepare: "PREPARE pgscope_explain AS SELECT * FROM t WHERE id = $2".to_owned(),
                execute: "EXPLAIN EXECUTE pgscope_explain(NULL, NULL)".to_owned(),
            }
        );
    }

    #[test]
    fn statement_texts_with_parameters_are_prepared_before_16() {
        assert_eq!(
            check_statement("SELECT * FROM t WHERE id = $1 AND b = $12 AND c = '$3';", 150_000),
            Verdict::Prepared {
                prepare: "PREPARE pgscope_explain AS SELECT * FROM t WHERE id = $1 AND b = $12 AND c = '$3'"
                    .to_owned(),
                execute: format!("EXPLAIN EXECUTE pgscope_explain({})", ["NULL"; 12].join(", ")),
            }
        );
        assert_eq!(
            check_statement("SELECT * FROM t WHERE id = $1", 160_000),
            Verdict::Prepared {
                prepare: "PREPARE pgscope_explain AS SELECT * FROM t WHERE id = $1".to_owned(),
                execute: "EXPLAIN (GENERIC_PLAN) EXECUTE pgscope_explain(NULL)".to_owned(),
            }
        );
        assert_eq!(
            check_statement("SELECT 1", 130_000),
            Verdict::Explain {
                statement: "EXPLAIN SELECT 1".to_owned()
            }
        );
        assert!(matches!(
            check_statement("VACUUM t", 130_000),
            Verdict::Refuse(_)
        ));
        assert!(matches!(
            check_statement("SELECT $1; SELECT $2", 130_000),
            Verdict::Refuse(r) if r.contains("several")
        ));
    }

    #[test]
    fn truncated_text_is_refused() {
        assert!(
            matches!(check("SELECT 1", true, 160_000), Verdict::Refuse(r) if r.contains("truncated"))
        );
    }
}
