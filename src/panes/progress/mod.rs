//! The Progress pane (6): long operations with % and ETA, the xmin horizon's holders,
//! wraparound risk and autovacuum health, each section with its own outcome.

pub mod export;
pub mod columns;
pub mod data;
pub mod draw;
mod draw_health;
pub mod eta;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    type Part = crate::panes::progress::data::Progress;
}
