//! Overlays that take the keyboard: a confirmation before anything is signalled or planned, the
//! report of what really happened, the details of one backend, and an EXPLAIN result.

use crate::effect::{Details, ExplainAsk, SignalReport, SignalRequest};
use crate::failure::Failure;
use crate::snapshot::Backend;

/// A confirmed-or-not plan: what would be signalled, with warnings, and what was left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub request: SignalRequest,
    pub warnings: Vec<String>,
    /// (pid, reason) for every chosen backend that will not be signalled.
    pub refused: Vec<(i32, String)>,
}

/// Something that runs only after the operator said yes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Signal(Plan),
    /// EXPLAIN that may run functions owned by less privileged roles, which could switch back
    /// to the login's role: planned only after a yes, with consent.
    Explain {
        request: ExplainAsk,
        warning: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    pub pending: Pending,
    /// The highlighted answer; starts at No.
    pub yes: bool,
}

/// The details view of one backend: its row as seen when opened, plus what was fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct DetailsView {
    pub backend: Backend,
    pub fetched: Option<Details>,
    /// The fetched query laid out for reading (the copy key still copies the original).
    pub formatted: Option<String>,
    pub scroll: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainView {
    /// What is planned: a backend's query, or a pg_stat_statements entry.
    pub of: ExplainOf,
    /// What was asked, to ask again with consent when the server says planning needs it.
    pub request: Option<ExplainAsk>,
    /// `None` while planning.
    pub result: Option<Result<Vec<String>, Failure>>,
    pub scroll: usize,
}

/// Whose query an EXPLAIN view plans: a report is shown only in the view it was asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExplainOf {
    Pid(i32),
    Statement(crate::panes::statements::Key),
}

impl ExplainOf {
    pub fn of(ask: &ExplainAsk) -> ExplainOf {
        match ask {
            ExplainAsk::Backend(r) => ExplainOf::Pid(r.pid),
            ExplainAsk::Statement(r) => ExplainOf::Statement(r.statement.key),
        }
    }
}

/// The outcome of the last signal request, shown until a key is pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportView {
    pub report: SignalReport,
    pub log_error: Option<String>,
    /// First listed target: a bulk result scrolls under its totals.
    pub scroll: usize,
}
