//! The Waits pane (3): what sessions wait on now, and the wait sampler's history.

pub mod export;
pub mod columns;
pub mod data;
pub mod draw;
pub mod draw_history;
pub mod draw_tops;
pub mod draw_shared;
pub mod hit;
pub mod keys;
pub mod layout;
pub mod read;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    type Part = Box<data::Waits>;
}
