//! The Tables pane (8): vacuum and index health of the connected database's tables, read from
//! the catalogs and statistics only (nothing waits on a relation lock), ranked and capped on
//! the server; exact sizes on demand under a short lock timeout.

pub mod export;
pub mod columns;
pub mod data;
pub mod indexes;
pub mod model;
pub mod read;
pub mod reader;
pub mod size;
pub mod draw;
pub mod hit;
pub mod keys;
pub mod lines;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    /// Boxed: the part is large and every refresh future carries a snapshot.
    type Part = Box<crate::panes::tables::data::Tables>;
}
