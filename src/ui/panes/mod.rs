//! One render file per pane, named like its collector.

pub mod activity;
pub mod connections;
pub mod locks;
mod locks_detail;
pub mod progress;
mod progress_table;
