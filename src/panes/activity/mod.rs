//! The Activity pane (1): every session, filtered and sorted. Its rows are the sessions every
//! refresh reads, so it adds no part of its own to a snapshot.

pub mod export;
pub mod columns;
pub mod draw;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    type Part = ();
}
