//! The Activity pane's columns, each defined once as a `Col` (header, width, priority, config
//! name, sort key) with its comparison. Shared by sorting in `state`, the config file, drawing
//! and clicks, so none can disagree about what a column is.

use std::cmp::Ordering;

use crate::columns::{Col, col};
use crate::snapshot::{Backend, Micros};

/// The columns in [`Column::ALL`] order. Priority: what is kept as the terminal narrows (PID,
/// state, query age, then the query, which keeps at least 38 % of the width: 30 cells at 80
/// columns, 60 at 160; then who blocks and what a session waits for, which a lock pile-up
/// needs before the user and the database). Every column sorts (its key is its place in
/// [`Column::ALL`]).
const COLS: [Col; 13] = [
    col("PID", 7).named("pid").right().priority(0).sort(0),
    col("DB", 10).named("database").priority(7).sort(1),
    col("USER", 10).named("user").priority(6).sort(2),
    col("APP", 12).named("application").priority(9).sort(3),
    col("CLIENT", 15).named("client").priority(12).sort(4),
    col("TYPE", 14).named("type").priority(10).sort(5),
    col("STATE", 12).named("state").priority(1).sort(6),
    col("WAIT", 18).named("wait").priority(5).sort(7),
    col("XACT", 10).named("xact_age").right().priority(8).sort(8),
    col("QUERY AGE", 10).named("query_age").right().priority(2).sort(9),
    col("STATE AGE", 10).named("state_age").right().priority(11).sort(10),
    col("BLOCKED BY", 10).named("blocked_by").priority(4).sort(11),
    col("QUERY", 20).named("query").flex().share(38).priority(3).sort(12),
];

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

    /// Its column: header, width, priority, config name.
    pub fn col(self) -> &'static Col {
        &COLS[self as usize]
    }

    pub fn label(self) -> &'static str {
        self.col().title
    }

    /// Its config-file name.
    pub fn name(self) -> &'static str {
        self.col().name
    }

    /// Its least width in cells; the query column takes whatever is left.
    pub fn width(self) -> u16 {
        u16::try_from(self.col().width).unwrap_or(u16::MAX)
    }

    /// Whether the column is a number shown right-aligned.
    pub fn numeric(self) -> bool {
        self.col().right
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_column_sorts_by_its_own_place() {
        for (i, c) in Column::ALL.into_iter().enumerate() {
            assert_eq!(c as usize, i);
            assert_eq!(c.col().sort, u8::try_from(i).ok());
            assert!(!c.name().is_empty());
        }
    }
}
