//! The pooler side: a PgBouncer admin console read every interval (SHOW POOLS, STATS, CLIENTS,
//! SERVERS, CONFIG, DATABASES), decoded by column name into plain data, and the pure functions
//! the Pooler pane is built from: per-database rates between two reads, saturation against the
//! configured limits, the client <-> server pairing, and the join of each server connection to
//! its PostgreSQL backend in the Activity snapshot.
//!
//! `model`, `decode`, `rates`, `saturation`, `link`, `join` and `backoff` are pure (no tokio,
//! no tokio-postgres): state and update code may use them. `admin` and `task` do the I/O.

pub mod admin;
pub mod backoff;
pub mod decode;
#[cfg(test)]
mod decode_versions;
pub mod join;
pub mod link;
pub mod model;
pub mod rates;
pub mod saturation;
pub mod task;

pub use admin::{Admin, PoolerError};
pub use model::Pooler;
