//! Overlays that take the keyboard: a confirmation before anything is signalled or planned, the
//! report of what really happened, the details of one backend, and an EXPLAIN result.

use crate::effect::{Details, ExplainRequest, SignalReport, SignalRequest};
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
        request: ExplainRequest,
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
    pub pid: i32,
    /// What was asked, to ask again with consent when the server says planning needs it.
    pub request: Option<ExplainRequest>,
    /// `None` while planning.
    pub result: Option<Result<Vec<String>, Failure>>,
    pub scroll: usize,
}

/// The outcome of the last signal request, shown until a key is pressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportView {
    pub report: SignalReport,
    pub log_error: Option<String>,
    /// First listed target: a bulk result scrolls under its totals.
    pub scroll: usize,
}
