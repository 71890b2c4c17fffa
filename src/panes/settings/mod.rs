//! The Settings pane (9): the server's parameters not at their defaults, pending restarts first,
//! per-database and per-role overrides, configuration file errors, and a few checks stated as
//! observations. Nothing here touches a relation.

pub mod export;
pub mod checks;
pub mod columns;
pub mod data;
pub mod draw;
pub mod hit;
pub mod keys;
pub mod lines;
pub mod model;
pub mod read;
pub mod units;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    /// Boxed: every refresh future carries a snapshot.
    type Part = Box<crate::panes::settings::data::Settings>;
}
