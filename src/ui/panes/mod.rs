//! One render file per pane, named like its collector.

pub mod activity;
