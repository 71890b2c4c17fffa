//! The Connections pane's breakdowns: sessions grouped by database, user, application, client
//! or backend type, with counts by state and the oldest ages. Shared by sorting in `state` and
//! drawing in `ui`.

use std::cmp::Ordering;

use crate::columns::{Col, col};
use std::collections::HashMap;

use crate::slots::holds_slot;
use crate::snapshot::{Backend, Micros};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Grouping {
    /// When slots run out the question is which application holds them.
    #[default]
    Application,
    Database,
    User,
    Client,
    BackendType,
}

impl Grouping {
    /// The order `o` cycles through, the default first.
    pub const ALL: [Grouping; 5] = [
        Grouping::Application,
        Grouping::Database,
        Grouping::User,
        Grouping::Client,
        Grouping::BackendType,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Grouping::Database => "DATABASE",
            Grouping::User => "USER",
            Grouping::Application => "APPLICATION",
            Grouping::Client => "CLIENT",
            Grouping::BackendType => "BACKEND TYPE",
        }
    }

    /// The config file's name (`[connections] group_by`).
    pub fn name(self) -> &'static str {
        match self {
            Grouping::Database => "database",
            Grouping::User => "user",
            Grouping::Application => "application",
            Grouping::Client => "client",
            Grouping::BackendType => "backend_type",
        }
    }

    /// The grouping a config name means.
    pub fn parse(name: &str) -> Option<Grouping> {
        Self::ALL.into_iter().find(|g| g.name() == name)
    }

    /// The Activity filter prefix that selects one group.
    pub fn filter_prefix(self) -> &'static str {
        match self {
            Grouping::Database => "db",
            Grouping::User => "user",
            Grouping::Application => "app",
            Grouping::Client => "client",
            Grouping::BackendType => "type",
        }
    }

    #[must_use]
    pub fn next(self) -> Grouping {
        let pos = Self::ALL.iter().position(|g| *g == self).unwrap_or(0);
        Self::ALL[(pos + 1) % Self::ALL.len()]
    }

    /// Client slots are what the breakdowns are about; by backend type everything is shown.
    pub fn includes(self, b: &Backend) -> bool {
        self == Grouping::BackendType || holds_slot(b)
    }

    /// The group of `b`; `None` when the value is hidden from us.
    pub fn key(self, b: &Backend) -> Option<&str> {
        match self {
            Grouping::Database => b.datname.as_deref(),
            Grouping::User => b.usename.as_deref(),
            Grouping::Application => Some(b.application_name.as_str()),
            Grouping::Client => b.client.as_deref(),
            Grouping::BackendType => Some(b.backend_type.as_str()).filter(|t| !t.is_empty()),
        }
    }
}

/// A group's key: `None` when the value is hidden (or NULL).
pub type GroupKey = Option<String>;

/// Session states as pg_stat_activity names them, in column order; `None` (no state) last.
pub const STATES: [Option<&str>; 7] = [
    Some("active"),
    Some("idle"),
    Some("idle in transaction"),
    Some("idle in transaction (aborted)"),
    Some("fastpath function call"),
    Some("disabled"),
    None,
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: GroupKey,
    pub total: usize,
    /// Counts by [`STATES`]; the last is sessions without a state (hidden ones, mostly).
    pub states: [usize; 7],
    /// Hidden sessions in the group (no privilege to see them).
    pub hidden: usize,
    /// Oldest state change and connection start: the longest a session has been in its state,
    /// and the oldest connection.
    pub oldest_state: Option<Micros>,
    pub oldest_start: Option<Micros>,
}

/// Groups `backends` by `grouping` (unsorted).
pub fn build(backends: &[Backend], grouping: Grouping) -> Vec<Group> {
    let mut by_key: HashMap<Option<&str>, Group> = HashMap::new();
    for b in backends.iter().filter(|b| grouping.includes(b)) {
        let key = grouping.key(b);
        let g = by_key.entry(key).or_insert_with(|| Group {
            key: key.map(str::to_owned),
            total: 0,
            states: [0; 7],
            hidden: 0,
            oldest_state: None,
            oldest_start: None,
        });
        g.total += 1;
        let slot = STATES
            .iter()
            .position(|s| *s == b.state.as_deref())
            .unwrap_or(STATES.len() - 1);
        g.states[slot] += 1;
        g.hidden += usize::from(crate::slots::is_hidden(b));
        g.oldest_state = oldest(g.oldest_state, b.state_change);
        g.oldest_start = oldest(g.oldest_start, b.backend_start);
    }
    by_key.into_values().collect()
}

fn oldest(a: Option<Micros>, b: Option<Micros>) -> Option<Micros> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// The groups table in [`GroupColumn::ALL`] order: each number as wide as its header and the
/// sort arrow; the group's name grows up to its longest. Priority: what stays as the terminal
/// narrows. Every column sorts (its key is its place).
pub const COLS: [Col; 11] = [
    col("GROUP", 16).named("group").capped().priority(0).sort(0),
    col("TOTAL", 6).named("total").right().priority(1).sort(1),
    col("ACTIVE", 7).named("active").right().priority(2).sort(2),
    col("IDLE", 5).named("idle").right().priority(3).sort(3),
    col("IDLE TX", 8).named("idle_tx").right().priority(4).sort(4),
    col("ABORTED", 8).named("aborted").right().priority(6).sort(5),
    col("FASTPATH", 9).named("fastpath").right().priority(9).sort(6),
    col("DISABLED", 9).named("disabled").right().priority(10).sort(7),
    col("NO STATE", 9).named("no_state").right().priority(8).sort(8),
    col("STATE AGE", 10).named("state_age").right().priority(5).sort(9),
    col("CONN AGE", 9).named("conn_age").right().priority(7).sort(10),
];

pub const NAMES: [&str; 11] = crate::columns::names(&COLS);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupColumn {
    Key,
    Total,
    /// Index into [`STATES`].
    State(usize),
    StateAge,
    ConnAge,
}

impl GroupColumn {
    pub const ALL: [GroupColumn; 11] = [
        GroupColumn::Key,
        GroupColumn::Total,
        GroupColumn::State(0),
        GroupColumn::State(1),
        GroupColumn::State(2),
        GroupColumn::State(3),
        GroupColumn::State(4),
        GroupColumn::State(5),
        GroupColumn::State(6),
        GroupColumn::StateAge,
        GroupColumn::ConnAge,
    ];

    /// Its place in [`GroupColumn::ALL`] and [`COLS`].
    pub fn index(self) -> usize {
        GroupColumn::ALL.iter().position(|c| *c == self).unwrap_or(0)
    }

    /// Its column: header, width, priority, config name.
    pub fn col(self) -> &'static Col {
        &COLS[self.index()]
    }

    pub fn label(self, grouping: Grouping) -> &'static str {
        match self {
            GroupColumn::Key => grouping.label(),
            _ => self.col().title,
        }
    }

    /// Counts and ages sort largest first by default; the key ascending.
    pub fn descending_by_default(self) -> bool {
        self != GroupColumn::Key
    }

    /// Compares two groups on this column, ascending.
    pub fn compare(self, a: &Group, b: &Group) -> Ordering {
        match self {
            GroupColumn::Key => a.key.cmp(&b.key),
            GroupColumn::Total => a.total.cmp(&b.total),
            GroupColumn::State(i) => a.states.get(i).cmp(&b.states.get(i)),
            // An older start is a longer age; no start at all is the smallest.
            GroupColumn::StateAge => age_order(a.oldest_state, b.oldest_state),
            GroupColumn::ConnAge => age_order(a.oldest_start, b.oldest_start),
        }
    }
}

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

    fn b(db: &str, state: Option<&str>, change: Micros) -> Backend {
        Backend {
            datname: Some(db.into()),
            usename: Some("u".into()),
            backend_type: "client backend".into(),
            state: state.map(Into::into),
            state_change: Some(change),
            backend_start: Some(change - 10),
            ..Backend::default()
        }
    }

    #[test]
    fn counts_by_state_and_oldest_ages() {
        let mut wal = b("x", None, 0);
        wal.backend_type = "walsender".into();
        let backends = vec![
            b("shop", Some("active"), 50),
            b("shop", Some("idle"), 20),
            b("shop", Some("idle in transaction (aborted)"), 30),
            b("crm", Some("disabled"), 40),
            wal,
        ];
        let mut groups = build(&backends, Grouping::Database);
        groups.sort_by(|x, y| x.key.cmp(&y.key));
        assert_eq!(groups.len(), 2);
        let shop = &groups[1];
        assert_eq!(shop.key.as_deref(), Some("shop"));
        assert_eq!((shop.total, shop.states), (3, [1, 1, 0, 1, 0, 0, 0]));
        assert_eq!((shop.oldest_state, shop.oldest_start), (Some(20), Some(10)));
        assert_eq!(groups[0].states[5], 1);
        let types = build(&backends, Grouping::BackendType);
        assert_eq!(types.len(), 2);
    }
}
