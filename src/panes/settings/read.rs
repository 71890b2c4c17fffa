//! The Settings pane's SQL and decode: four small queries, pipelined, each behind its own gate.
//! None touches a relation; all results are bounded (pg_settings has about 350 rows).

use tokio_postgres::{Client, Row, Statement};

use crate::collect::gate::Gate;
use crate::collect::rows::{get, pane_error, text};
use crate::panes::settings::data::{Facts, FileError, Override, Param, Params, Settings};
use crate::snapshot::PaneError;

pub const SETTINGS_SQL: &str = include_str!("sql/settings.sql");
pub const OVERRIDES_SQL: &str = include_str!("sql/overrides.sql");
pub const FILE_ERRORS_SQL: &str = include_str!("sql/file_errors.sql");
pub const FACTS_SQL: &str = include_str!("sql/facts.sql");

pub const MAX_OVERRIDES: i64 = 500;
pub const MAX_FILE_ERRORS: i64 = 100;

/// Prepared once per connection; one that fails keeps its error for its section.
pub struct Statements {
    params: Result<Statement, PaneError>,
    overrides: Result<Statement, PaneError>,
    file_errors: Result<Statement, PaneError>,
    facts: Result<Statement, PaneError>,
}

impl Statements {
    pub async fn prepare(client: &Client) -> Statements {
        let prep = |sql: &'static str| async move {
            client.prepare(sql).await.map_err(|e| pane_error(&e))
        };
        let (params, overrides, file_errors, facts) = tokio::join!(
            prep(SETTINGS_SQL),
            prep(OVERRIDES_SQL),
            prep(FILE_ERRORS_SQL),
            prep(FACTS_SQL),
        );
        Statements {
            params,
            overrides,
            file_errors,
            facts,
        }
    }
}

/// Failure gates, one per query: a login without the grant on pg_file_settings backs that
/// query off (42501) instead of logging an error every refresh.
#[derive(Default)]
pub struct Gates {
    params: Gate,
    overrides: Gate,
    file_errors: Gate,
    facts: Gate,
}

pub async fn collect(client: &Client, st: &Statements, seq: u64, gates: &mut Gates) -> Settings {
    let params = gates.params.run(seq, async {
        let rows = query(client, &st.params, None).await?;
        let mut out = Params::default();
        for row in &rows {
            out.files_visible = get::<Option<bool>>(row, "files_visible")?.unwrap_or(false);
            out.rows.push(param(row)?);
        }
        Ok(out)
    });
    let overrides = gates.overrides.run(seq, async {
        let rows = query(client, &st.overrides, Some(MAX_OVERRIDES)).await?;
        rows.iter().map(override_row).collect()
    });
    let file_errors = gates.file_errors.run(seq, async {
        let rows = query(client, &st.file_errors, Some(MAX_FILE_ERRORS)).await?;
        rows.iter().map(file_error).collect()
    });
    let facts = gates.facts.run(seq, async {
        let rows = query(client, &st.facts, None).await?;
        rows.first().map_or_else(|| Ok(Facts::default()), facts)
    });
    let (params, overrides, file_errors, facts) =
        tokio::join!(params, overrides, file_errors, facts);
    Settings {
        params,
        overrides,
        file_errors,
        facts,
    }
}

async fn query(
    client: &Client,
    stmt: &Result<Statement, PaneError>,
    cap: Option<i64>,
) -> Result<Vec<Row>, PaneError> {
    let stmt = stmt.as_ref().map_err(Clone::clone)?;
    let result = match &cap {
        Some(cap) => client.query(stmt, &[cap]).await,
        None => client.query(stmt, &[]).await,
    };
    result.map_err(|e| pane_error(&e))
}

fn param(row: &Row) -> Result<Param, PaneError> {
    Ok(Param {
        name: text(row, "name")?.unwrap_or_default(),
        setting: text(row, "setting")?.unwrap_or_default(),
        unit: text(row, "unit")?,
        vartype: text(row, "vartype")?.unwrap_or_default(),
        category: text(row, "category")?.unwrap_or_default(),
        short_desc: text(row, "short_desc")?.unwrap_or_default(),
        extra_desc: text(row, "extra_desc")?,
        context: text(row, "context")?.unwrap_or_default(),
        source: text(row, "source")?.unwrap_or_default(),
        sourcefile: text(row, "sourcefile")?,
        sourceline: get(row, "sourceline")?,
        boot_val: text(row, "boot_val")?,
        reset_val: text(row, "reset_val")?,
        pending_restart: get::<Option<bool>>(row, "pending_restart")?.unwrap_or(false),
    })
}

/// `name=value` as stored; a value may itself contain `=`.
fn override_row(row: &Row) -> Result<Override, PaneError> {
    let cfg = text(row, "cfg")?.unwrap_or_default();
    let (name, value) = cfg.split_once('=').unwrap_or((cfg.as_str(), ""));
    Ok(Override {
        database: text(row, "datname")?,
        role: text(row, "rolname")?,
        name: name.to_owned(),
        value: value.to_owned(),
    })
}

fn file_error(row: &Row) -> Result<FileError, PaneError> {
    Ok(FileError {
        sourcefile: text(row, "sourcefile")?,
        sourceline: get(row, "sourceline")?,
        name: text(row, "name")?,
        setting: text(row, "setting")?,
        error: text(row, "error")?.unwrap_or_default(),
    })
}

fn facts(row: &Row) -> Result<Facts, PaneError> {
    Ok(Facts {
        idle_in_xact: get(row, "idle_in_xact")?,
        longest_idle_in_xact: get(row, "longest_idle_in_xact")?,
        active: get(row, "active")?,
        sessions: get(row, "sessions")?,
        complete: get::<Option<bool>>(row, "complete")?.unwrap_or(false),
    })
}

impl crate::collect::pane::Read for super::Def {
    type Statements = Statements;
    type Gates = Gates;
    // Its four queries run on every refresh while it is on screen.
    const STATEMENTS: i64 = 4;

    async fn prepare(client: &Client, _caps: &crate::snapshot::Capabilities) -> Statements {
        Statements::prepare(client).await
    }

    /// Read only while the pane is on screen.
    async fn read(
        cx: crate::collect::pane::Cx<'_>,
        st: &Statements,
        gates: &mut Gates,
    ) -> crate::snapshot::Part<Box<Settings>> {
        if !cx.focused {
            return None;
        }
        Some(Ok(Box::new(collect(cx.client, st, cx.seq, gates).await)))
    }
}
