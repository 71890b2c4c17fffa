//! The Tables pane (8): vacuum and index health of the connected database's tables, read from
//! the catalogs and statistics only (nothing waits on a relation lock), ranked and capped on
//! the server; exact sizes on demand under a short lock timeout.

pub mod data;
pub mod indexes;
pub mod model;
pub mod read;
pub mod size;
