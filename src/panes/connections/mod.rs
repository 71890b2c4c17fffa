//! The Connections pane (4): connection slots, sessions grouped, churn, and the sessions idle
//! in a transaction. Built from the sessions every refresh reads; no part of its own.

pub mod columns;
pub mod export;
pub mod draw;
pub mod draw_idle_tx;
pub mod draw_shared;
pub mod groups;
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
