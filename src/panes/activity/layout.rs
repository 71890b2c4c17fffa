//! Where the Activity table's columns go at a width: pure, read by drawing and by a click.

use crate::panes::activity::columns::Column;

/// Columns in the order they are given up as the terminal narrows (first = kept longest).
pub const PRIORITY: [Column; 13] = [
    Column::Pid,
    Column::State,
    Column::QueryAge,
    Column::Query,
    Column::BlockedBy,
    Column::User,
    Column::Database,
    Column::Wait,
    Column::XactAge,
    Column::Application,
    Column::BackendType,
    Column::StateAge,
    Column::Client,
];

/// Of the configured `shown` columns, those that fit in `width`, in `shown` order, with their
/// widths; the query column takes the rest of the line.
pub fn layout(width: u16, shown: &[Column]) -> Vec<(Column, usize)> {
    let mut chosen = Vec::new();
    let mut used = 0usize;
    for col in PRIORITY.into_iter().filter(|c| shown.contains(c)) {
        let w = usize::from(col.width()) + 1;
        if used + w <= usize::from(width) {
            used += w;
            chosen.push(col);
        }
    }
    let mut cols: Vec<(Column, usize)> = shown
        .iter()
        .filter(|c| chosen.contains(c))
        .map(|&c| (c, usize::from(c.width())))
        .collect();
    let spare = usize::from(width).saturating_sub(used);
    if let Some(q) = cols.iter_mut().find(|(c, _)| *c == Column::Query) {
        q.1 += spare;
    }
    cols
}
