//! The Activity pane's columns: their labels, widths and sort order. Shared by sorting in
//! `state` and drawing in `ui`, so the two can never disagree about what a column is.

use std::cmp::Ordering;

use crate::snapshot::{Backend, Micros};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Pid,
    Database,
    User,
    Application,
    Client,
    BackendType,
    State,
    Wait,
    XactAge,
    QueryAge,
    StateAge,
    BlockedBy,
    Query,
}

impl Column {
    pub const ALL: [Column; 13] = [
        Column::Pid,
        Column::Database,
        Column::User,
        Column::Application,
        Column::Client,
        Column::BackendType,
        Column::State,
        Column::Wait,
        Column::XactAge,
        Column::QueryAge,
        Column::StateAge,
        Column::BlockedBy,
        Column::Query,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Column::Pid => "PID",
            Column::Database => "DB",
            Column::User => "USER",
            Column::Application => "APP",
            Column::Client => "CLIENT",
            Column::BackendType => "TYPE",
            Column::State => "STATE",
            Column::Wait => "WAIT",
            Column::XactAge => "XACT",
            Column::QueryAge => "QUERY AGE",
            Column::StateAge => "STATE AGE",
            Column::BlockedBy => "BLOCKED BY",
            Column::Query => "QUERY",
        }
    }

    /// Preferred width in cells; the query column takes whatever is left.
    pub fn width(self) -> u16 {
        match self {
            Column::Pid => 7,
            Column::Database | Column::User => 10,
            Column::Application => 12,
            Column::Client => 15,
            Column::BackendType => 14,
            Column::State => 12,
            Column::Wait => 18,
            Column::XactAge | Column::QueryAge | Column::StateAge => 10,
            Column::BlockedBy => 10,
            Column::Query => 20,
        }
    }

    /// Whether the column is a number shown right-aligned.
    pub fn numeric(self) -> bool {
        matches!(
            self,
            Column::Pid | Column::XactAge | Column::QueryAge | Column::StateAge
        )
    }

    /// Ages sort longest first by default; everything else ascending.
    pub fn descending_by_default(self) -> bool {
        matches!(
            self,
            Column::XactAge | Column::QueryAge | Column::StateAge | Column::BlockedBy
        )
    }

    /// Compares two backends on this column, ascending. Missing values sort first.
    pub fn compare(self, a: &Backend, b: &Backend) -> Ordering {
        match self {
            Column::Pid => a.pid.cmp(&b.pid),
            Column::Database => a.datname.cmp(&b.datname),
            Column::User => a.usename.cmp(&b.usename),
            Column::Application => a.application_name.cmp(&b.application_name),
            Column::Client => a.client.cmp(&b.client),
            Column::BackendType => a.backend_type.cmp(&b.backend_type),
            Column::State => a.state.cmp(&b.state),
            Column::Wait => {
                (&a.wait_event_type, &a.wait_event).cmp(&(&b.wait_event_type, &b.wait_event))
            }
            // An older start is a longer age.
            Column::XactAge => age_order(a.xact_start, b.xact_start),
            Column::QueryAge => age_order(a.query_start, b.query_start),
            Column::StateAge => age_order(a.state_change, b.state_change),
            Column::BlockedBy => a.blocked_by.len().cmp(&b.blocked_by.len()),
            Column::Query => a.query.cmp(&b.query),
        }
    }
}

/// Orders by age ascending (newest start first); no start at all is the smallest age.
fn age_order(a: Option<Micros>, b: Option<Micros>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => y.cmp(&x),
    }
}
