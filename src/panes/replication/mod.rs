//! The Replication pane (5): senders, slots, the WAL receiver, conflicts, subscriptions and
//! publications, each section with its own outcome.

pub mod export;
pub mod columns;
pub mod data;
pub mod draw;
pub mod draw_primary;
pub mod draw_sections;
pub mod draw_standby;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    type Part = Box<data::Replication>;
}
