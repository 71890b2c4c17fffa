//! The panes, one folder each (SQL, decode into the pane's snapshot part, pure view model).

pub mod settings;
pub mod tables;
