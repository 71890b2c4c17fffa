//! Config-file names of panes and Activity columns. The column names match exhaustively, so a
//! new column cannot be left out of the config file.

use crate::panes::Pane;
use crate::panes::activity::columns::Column;

pub fn column(c: Column) -> &'static str {
    match c {
        Column::Pid => "pid",
        Column::Database => "database",
        Column::User => "user",
        Column::Application => "application",
        Column::Client => "client",
        Column::BackendType => "type",
        Column::State => "state",
        Column::Wait => "wait",
        Column::XactAge => "xact_age",
        Column::QueryAge => "query_age",
        Column::StateAge => "state_age",
        Column::BlockedBy => "blocked_by",
        Column::Query => "query",
    }
}

pub fn parse_column(name: &str) -> Option<Column> {
    Column::ALL.into_iter().find(|&c| column(c) == name)
}

/// A pane by its name (any case) or its number.
pub fn parse_pane(name: &str) -> Option<Pane> {
    if let Ok(n) = name.parse::<u8>() {
        return Pane::from_number(n);
    }
    Pane::ALL
        .iter()
        .copied()
        .find(|p| p.name().eq_ignore_ascii_case(name))
}

/// Every pane's config name, for messages.
pub fn pane_names() -> String {
    let names: Vec<String> = Pane::ALL.iter().map(|p| p.name().to_lowercase()).collect();
    names.join(", ")
}

pub fn column_names() -> String {
    let names: Vec<&str> = Column::ALL.into_iter().map(column).collect();
    names.join(", ")
}
