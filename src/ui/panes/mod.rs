//! One render file per pane, named like its collector.

pub mod activity;
pub mod connections;
pub mod idle_tx;
pub mod locks;
mod locks_detail;
pub mod progress;
mod progress_health;
mod progress_table;
pub mod replication;
mod replication_primary;
mod replication_sections;
mod replication_standby;
pub mod waits;
mod waits_history;
