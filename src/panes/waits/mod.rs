//! The Waits pane (3): what sessions wait on now, and the wait sampler's history.

pub mod draw;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::PaneData for Def {
    type Part = Box<crate::snapshot::waits::Waits>;
}
