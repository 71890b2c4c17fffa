//! The Locks pane (2): the blocking tree and pg_locks grouped, read only while on screen.

pub mod export;
pub mod columns;
pub mod data;
pub mod draw;
pub mod draw_detail;
pub mod draw_shared;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;
pub mod tree;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    type Part = data::Locks;
}
