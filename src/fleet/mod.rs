//! Many servers on one screen (`pgscope fleet`): one collector task per server with its own
//! deadline and backoff, one small read per refresh (the header's statement, its replication
//! summary and an aggregate of the sessions), the table grouped by cluster, and Enter into the
//! full UI of one server. A PgBouncer admin console is a server too: its line sums its pools.

pub mod app;
pub mod config;
pub mod draw;
pub mod member;
pub mod open;
pub mod probe;
pub mod snapshot;
pub mod start;
pub mod state;
pub mod status;
pub mod table;
pub mod targets;
pub mod task;
