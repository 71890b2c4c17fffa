//! The columns of the panes' tables besides Activity's (`columns`): each table's config-file
//! name, its column names in default order (taken from the table's `Col` definitions, so each
//! column is named once), the column that names a row (which the config file cannot leave out),
//! and the columns chosen, in the order they are shown. Drawing lays out a table's columns by
//! index into its `Col` array, the same index as here.

use crate::panes::Pane;
use crate::panes::connections;
use crate::panes::locks::columns as locks;
use crate::panes::progress::columns as progress;
use crate::panes::replication::columns as replication;
use crate::panes::settings::columns as settings;
use crate::panes::statements::columns as statements;
use crate::panes::tables::columns as tables;
use crate::panes::waits::columns as waits;

/// A table whose columns the config file chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    LocksTree,
    LocksList,
    WaitsNow,
    WaitsTopWaits,
    WaitsTopQueries,
    ConnectionsGroups,
    ConnectionsIdleTx,
    ProgressOperations,
    ProgressHorizon,
    ProgressWraparound,
    ProgressAutovacuum,
    ReplicationSenders,
    ReplicationSlots,
    ReplicationSubscriptions,
    ReplicationConflicts,
    Statements,
    Tables,
    Settings,
}

const COUNT: usize = 18;

impl Table {
    pub const ALL: [Table; COUNT] = [
        Table::LocksTree,
        Table::LocksList,
        Table::WaitsNow,
        Table::WaitsTopWaits,
        Table::WaitsTopQueries,
        Table::ConnectionsGroups,
        Table::ConnectionsIdleTx,
        Table::ProgressOperations,
        Table::ProgressHorizon,
        Table::ProgressWraparound,
        Table::ProgressAutovacuum,
        Table::ReplicationSenders,
        Table::ReplicationSlots,
        Table::ReplicationSubscriptions,
        Table::ReplicationConflicts,
        Table::Statements,
        Table::Tables,
        Table::Settings,
    ];

    pub fn pane(self) -> Pane {
        match self {
            Table::LocksTree | Table::LocksList => Pane::Locks,
            Table::WaitsNow | Table::WaitsTopWaits | Table::WaitsTopQueries => Pane::Waits,
            Table::ConnectionsGroups | Table::ConnectionsIdleTx => Pane::Connections,
            Table::ProgressOperations
            | Table::ProgressHorizon
            | Table::ProgressWraparound
            | Table::ProgressAutovacuum => Pane::Progress,
            Table::ReplicationSenders
            | Table::ReplicationSlots
            | Table::ReplicationSubscriptions
            | Table::ReplicationConflicts => Pane::Replication,
            Table::Statements => Pane::Statements,
            Table::Tables => Pane::Tables,
            Table::Settings => Pane::Settings,
        }
    }

    /// The key under the pane's section of the config file: `[locks] tree = [...]`.
    pub fn key(self) -> &'static str {
        match self {
            Table::LocksTree => "tree",
            Table::LocksList => "list",
            Table::WaitsNow => "now",
            Table::WaitsTopWaits => "top_waits",
            Table::WaitsTopQueries => "top_queries",
            Table::ConnectionsGroups => "groups",
            Table::ConnectionsIdleTx => "idle_tx",
            Table::ProgressOperations => "operations",
            Table::ProgressHorizon => "horizon",
            Table::ProgressWraparound => "wraparound",
            Table::ProgressAutovacuum => "autovacuum",
            Table::ReplicationSenders => "senders",
            Table::ReplicationSlots => "slots",
            Table::ReplicationSubscriptions => "subscriptions",
            Table::ReplicationConflicts => "conflicts",
            Table::Statements | Table::Tables | Table::Settings => "columns",
        }
    }

    /// `locks.tree`, for messages.
    pub fn path(self) -> String {
        format!("{}.{}", self.pane().name().to_lowercase(), self.key())
    }

    /// Column names in the default order, the order of the table's columns when drawn.
    pub const fn columns(self) -> &'static [&'static str] {
        match self {
            Table::LocksTree => &locks::TREE_NAMES,
            Table::LocksList => &locks::LIST_NAMES,
            Table::WaitsNow => &waits::NOW_NAMES,
            Table::WaitsTopWaits => &waits::TOP_WAIT_NAMES,
            Table::WaitsTopQueries => &waits::TOP_QUERY_NAMES,
            Table::ConnectionsGroups => &connections::groups::NAMES,
            Table::ConnectionsIdleTx => &connections::columns::TX_NAMES,
            Table::ProgressOperations => &progress::OPS_NAMES,
            Table::ProgressHorizon => &progress::HOLDER_NAMES,
            Table::ProgressWraparound => &progress::FREEZE_NAMES,
            Table::ProgressAutovacuum => &progress::OVERDUE_NAMES,
            Table::ReplicationSenders => &replication::SENDER_NAMES,
            Table::ReplicationSlots => &replication::SLOT_NAMES,
            Table::ReplicationSubscriptions => &replication::SUB_NAMES,
            Table::ReplicationConflicts => &replication::CONFLICT_NAMES,
            Table::Statements => &statements::NAMES,
            Table::Tables => &tables::NAMES,
            Table::Settings => &settings::NAMES,
        }
    }

    /// The column that names a row; a table without it could not be read.
    pub fn required(self) -> Option<&'static str> {
        match self {
            Table::LocksTree
            | Table::ConnectionsIdleTx
            | Table::ProgressOperations
            | Table::ReplicationSenders => Some("pid"),
            Table::LocksList => Some("object"),
            Table::WaitsNow | Table::WaitsTopWaits => Some("wait"),
            Table::WaitsTopQueries | Table::Statements => Some("query"),
            Table::ConnectionsGroups => Some("group"),
            Table::ProgressHorizon => Some("name"),
            Table::ProgressWraparound | Table::ReplicationConflicts => Some("database"),
            Table::ProgressAutovacuum => Some("table"),
            Table::ReplicationSlots => Some("slot"),
            Table::ReplicationSubscriptions => Some("subscription"),
            Table::Tables => Some("table"),
            Table::Settings => Some("name"),
        }
    }

    /// The column's index by its config name.
    pub fn index(self, name: &str) -> Option<usize> {
        self.columns().iter().position(|c| *c == name)
    }

    fn slot(self) -> usize {
        Table::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }
}

/// The columns chosen per table, as indices into [`Table::columns`], in display order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableColumns([Vec<usize>; COUNT]);

impl Default for TableColumns {
    /// Every column, in the default order.
    fn default() -> Self {
        TableColumns(Table::ALL.map(|t| (0..t.columns().len()).collect()))
    }
}

impl TableColumns {
    pub fn get(&self, table: Table) -> &[usize] {
        &self.0[table.slot()]
    }

    pub fn set(&mut self, table: Table, columns: Vec<usize>) {
        self.0[table.slot()] = columns;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_the_required_column_exists() {
        for t in Table::ALL {
            let cols = t.columns();
            for (i, c) in cols.iter().enumerate() {
                assert!(!cols[..i].contains(c), "{} twice in {}", c, t.path());
            }
            if let Some(r) = t.required() {
                assert!(t.index(r).is_some(), "{}", t.path());
            }
            assert_eq!(t.slot(), Table::ALL.iter().position(|x| *x == t).unwrap());
        }
    }
}
