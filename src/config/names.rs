//! Config-file names of panes and Activity columns (each column's name is in its `Col`).

use crate::panes::Pane;
use crate::panes::activity::columns::Column;

pub fn column(c: Column) -> &'static str {
    c.name()
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
