//! The Progress pane (6): long operations with % and ETA, the xmin horizon's holders,
//! wraparound risk and autovacuum health, each section with its own outcome.

pub mod draw;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::PaneData for Def {
    type Part = crate::snapshot::progress::Progress;
}
