//! The vocabulary between `update` and the outside world: the effects `update` returns, the
//! jobs it hands the control task, and what the control task reports back. Plain data, no I/O.

use std::time::Duration;

use crate::failure::Failure;
use crate::panes::Pane;
use crate::snapshot::Micros;

/// Work for the outside world, returned by `update` and run by the app loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    SetInterval(Duration),
    /// The focused pane changed.
    Focus(Pane),
    /// Work for the control task (signals, details, EXPLAIN).
    Control(Job),
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
    /// Switch to the next theme (themes live in the app loop, not in `State`).
    CycleTheme,
    /// Give the terminal back and stop (Ctrl-Z); redraw fully on resume.
    Suspend,
}

/// Server processes that no operator should signal from a monitor (`backend_type` values across
/// the supported majors). The one list: the planner refuses them before asking, and the
/// signalling statement refuses them again on the server (`control::signal`).
pub const NOT_SIGNALLED: [&str; 14] = [
    "checkpointer",
    "background writer",
    "walwriter",
    "startup",
    "archiver",
    "wal receiver",
    "wal summarizer",
    "wal writer",
    "autovacuum launcher",
    "logical replication launcher",
    "io worker",
    "slotsync worker",
    "stats collector",
    "postmaster",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalKind {
    Cancel,
    Terminate,
}

impl SignalKind {
    pub fn verb(self) -> &'static str {
        match self {
            SignalKind::Cancel => "cancel",
            SignalKind::Terminate => "terminate",
        }
    }
}

/// One backend to signal, pinned by identity: the pid alone could have been reused by a new
/// session since the operator looked at it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalTarget {
    pub pid: i32,
    pub backend_start: Micros,
    /// For a cancel: the query that was running. A different query is not cancelled. A
    /// terminate is pinned to it only when asked (`pgscope terminate --if-query-start`).
    pub query_start: Option<Micros>,
    /// For a session chosen for its transaction (idle in transaction, or selected on its
    /// transaction age): that transaction. When it has ended, nothing is sent.
    pub xact_start: Option<Micros>,
    /// What the operator saw, for the confirmation, the report and the action log.
    pub usename: String,
    pub datname: String,
    pub backend_type: String,
    pub query: String,
    /// Age of the query (or of the session when idle) when it was chosen, in µs.
    pub age: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRequest {
    pub kind: SignalKind,
    pub targets: Vec<SignalTarget>,
}

/// What really happened to one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Cancelled,
    /// The cancel was delivered but the same query still runs.
    CancelIgnored,
    Terminated,
    /// The signal was sent but the backend was still there after the wait.
    StillAlive {
        waited_secs: u64,
    },
    /// The backend ended, or now runs something else: nothing was sent.
    Changed,
    /// The backend is the same but the transaction it was chosen for ended: nothing was sent.
    XactEnded,
    /// The server refused (e.g. 42501: needs pg_signal_backend or the same role).
    Refused {
        sqlstate: Option<String>,
        message: String,
    },
    Failed(Failure),
}

impl Outcome {
    pub fn describe(&self) -> String {
        match self {
            Outcome::Cancelled => "cancelled".to_owned(),
            Outcome::CancelIgnored => "cancel sent; the same query is still running".to_owned(),
            Outcome::Terminated => "terminated".to_owned(),
            Outcome::StillAlive { waited_secs } => {
                format!("signal sent; not terminated within {waited_secs} s")
            }
            Outcome::Changed => "not signalled: the backend ended or changed since".to_owned(),
            Outcome::XactEnded => "not signalled: transaction ended before the signal".to_owned(),
            Outcome::Refused { sqlstate, message } => {
                let hint = if sqlstate.as_deref() == Some("42501") {
                    " (needs pg_signal_backend or the same role)"
                } else {
                    ""
                };
                format!("refused: {message}{hint}")
            }
            Outcome::Failed(m) => format!("failed: {m}"),
        }
    }
}

/// The per-target results of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalReport {
    pub kind: SignalKind,
    pub results: Vec<(SignalTarget, Outcome)>,
    /// Why the request ran over the monitoring connection (the control connection could not be
    /// opened); `None` when it ran on its own connection.
    pub via_monitoring: Option<String>,
}

/// A request for the full text and details of one backend.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetailsRequest {
    pub pid: i32,
    pub backend_start: Micros,
}

/// One lock a backend holds or waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockLine {
    pub locktype: String,
    pub mode: String,
    pub granted: bool,
    /// Schema-qualified relation, or the lock's other identity (transaction id, advisory key).
    pub object: String,
}

/// What the details view fetched on demand for one pid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Details {
    pub pid: i32,
    /// The full query text (`None` when the backend ended or changed).
    pub query: Option<String>,
    pub truncated: bool,
    pub locks: Vec<LockLine>,
    pub backend_xmin_age: Option<i32>,
    /// "vacuum: scanning heap" when the backend runs an operation with a progress view.
    pub progress: Option<String>,
    pub error: Option<Failure>,
}

/// EXPLAIN of one backend's current query, in that backend's database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainRequest {
    pub pid: i32,
    pub backend_start: Micros,
    pub query_start: Option<Micros>,
    pub datname: String,
    /// The operator agreed to plan although functions owned by other roles may run.
    pub consented: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainReport {
    pub pid: i32,
    pub result: Result<Vec<String>, Failure>,
    /// Nothing was planned: planning may run other roles' code; ask first with this warning.
    pub ask: Option<String>,
}

/// One pg_stat_statements entry, for its full text and its EXPLAIN: its key, and the installed
/// extension's version and schema in the connected database (the control connection's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementRef {
    pub key: crate::panes::statements::Key,
    pub features: crate::panes::statements::sql::Features,
    pub schema: String,
}

/// The full text of one statement, read on demand (the list keeps its first characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementText {
    pub key: crate::panes::statements::Key,
    /// The text; `Ok(None)` when the entry is gone (evicted, reset) or its text hidden.
    pub text: Result<Option<String>, Failure>,
    /// What the read took, round trip included, in µs: pg_stat_statements(true) reads every
    /// entry's text, so it grows with the number of entries.
    pub took_us: u64,
}

/// EXPLAIN of one pg_stat_statements entry's statement, as its role, in its database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementExplainRequest {
    pub statement: StatementRef,
    /// The operator agreed to plan although functions owned by other roles may run.
    pub consented: bool,
}

/// What EXPLAIN is asked for: a backend's current query, or a pg_stat_statements entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExplainAsk {
    Backend(ExplainRequest),
    Statement(StatementExplainRequest),
}

impl ExplainAsk {
    /// The same request, with the operator's consent to plan.
    #[must_use]
    pub fn consented(mut self) -> ExplainAsk {
        match &mut self {
            ExplainAsk::Backend(r) => r.consented = true,
            ExplainAsk::Statement(r) => r.consented = true,
        }
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementExplainReport {
    pub key: crate::panes::statements::Key,
    /// The plan; its first line says how it was made (generic plan, as which role).
    pub result: Result<Vec<String>, Failure>,
    /// Nothing was planned: planning may run other roles' code; ask first with this warning.
    pub ask: Option<String>,
}

/// The full query text of one backend, read for the clipboard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullText {
    pub pid: i32,
    /// The text, or why it could not be read (the backend ended, an error).
    pub text: Result<String, String>,
    /// Cut by the server at `track_activity_query_size`.
    pub truncated: bool,
}

/// Work for the control task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Signal(SignalRequest),
    Details(DetailsRequest),
    Explain(ExplainRequest),
    /// The full text of one backend's query, for `y` (the list holds only its first characters).
    CopyText(DetailsRequest),
    /// The exact size of a table by oid, in the database the Tables pane shows (`None`: the
    /// connected one).
    ExactSize {
        relid: u32,
        datname: Option<String>,
    },
    /// The full text of a pg_stat_statements entry (Enter in the Statements pane).
    StatementText(StatementRef),
    ExplainStatement(StatementExplainRequest),
}

/// What the control task reports back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Done {
    Signal {
        report: SignalReport,
        log_error: Option<String>,
    },
    Details(Details),
    Explain(ExplainReport),
    CopyText(FullText),
    ExactSize {
        relid: u32,
        datname: Option<String>,
        result: Result<crate::panes::tables::data::ExactSize, String>,
    },
    StatementText(StatementText),
    ExplainStatement(StatementExplainReport),
    /// The control connection could not be opened, or a job got no answer in time.
    Failed(Failure),
    /// How a job is getting on (it waits for the monitoring connection), for the status line.
    Notice(String),
}
