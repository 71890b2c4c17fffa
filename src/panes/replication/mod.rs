//! The Replication pane (5): senders, slots, the WAL receiver, conflicts, subscriptions and
//! publications, each section with its own outcome.

pub mod draw;
pub mod hit;
pub mod keys;
pub mod read;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::PaneData for Def {
    type Part = Box<crate::snapshot::replication::Replication>;
}
