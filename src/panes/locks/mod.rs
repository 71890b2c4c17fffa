//! The Locks pane (2): the blocking tree and pg_locks grouped, read only while on screen.

pub mod draw;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::PaneData for Def {
    type Part = crate::snapshot::locks::Locks;
}
