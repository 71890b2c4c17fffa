//! Enter in the Statements pane: the selected statement's identity, its figures over the
//! interval (or the window shown) and its totals together, each with their names, and its full
//! text (formatted, sanitized, wrapped by the paragraph), with what reading it cost if slow.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::view::{Figures, Mode};
use crate::config::theme::Theme;
use crate::effect::StatementText;
use crate::text::sanitize;

const NAMES: [&str; 12] = [
    "user", "database", "calls", "time", "mean ms", "rows", "hit", "read", "hit %", "temp",
    "WAL", "plan",
];

/// A full-text read that took longer than this is said, with why.
pub const SLOW_US: u64 = 20_000;

/// One set of figures: what it spans, the row's cells as the table draws them (none: no
/// rates yet), and whether they are per second.
pub struct Set {
    pub label: String,
    pub cells: Vec<(String, Option<Style>)>,
    pub rates: bool,
}

/// `sets` are the figures shown (the mode's, then the interval's and the totals when the mode
/// is another); `full` the full text read on demand, once it came.
pub fn lines<'a>(
    f: &Figures,
    sets: &[Set],
    full: Option<&StatementText>,
    reading: bool,
    mode: Mode,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let mut out = vec![Line::styled(
        format!(
            "{} · queryid {} · {} (Enter or Esc closes, e explains)",
            mode.label(),
            f.key
                .queryid
                .map_or_else(|| "hidden".to_owned(), |q| q.to_string()),
            match f.key.toplevel {
                Some(false) => "nested",
                _ => "top level",
            }
        ),
        theme.table_header,
    )];
    for set in sets {
        out.push(figures(set, theme));
    }
    out.push(Line::raw(""));
    let (text, note) = text(f, full, reading);
    out.extend(
        text.lines()
            .map(|l| Line::styled(sanitize(l).into_owned(), Style::default())),
    );
    if let Some(note) = note {
        out.push(Line::styled(sanitize(&note).into_owned(), theme.warning));
    }
    out
}

fn figures<'a>(set: &Set, theme: &Theme) -> Line<'a> {
    let per = if set.rates { "/s" } else { "" };
    let mut spans = vec![Span::styled(
        format!("{:<12}", sanitize(&set.label)),
        theme.table_header,
    )];
    if set.cells.is_empty() {
        spans.push(Span::styled("no rates yet", theme.header_label));
        return Line::from(spans);
    }
    // User and database are on every set alike: the first set says them, the others not.
    spans.extend(
        NAMES
            .iter()
            .zip(&set.cells)
            .enumerate()
            .skip(2)
            .flat_map(|(i, (n, (v, _)))| {
                // The mean and the hit ratio are not per second.
                let unit = if i != 4 && i != 8 { per } else { "" };
                [
                    Span::styled(format!("{n}{unit} "), theme.header_label),
                    Span::styled(format!("{}  ", sanitize(v)), theme.header_value),
                ]
            }),
    );
    Line::from(spans)
}

/// The text to show, and a note: still reading, cut, gone, or what reading it cost.
fn text(f: &Figures, full: Option<&StatementText>, reading: bool) -> (String, Option<String>) {
    if f.hidden > 0 {
        let n = f.hidden;
        return (
            format!("{n} statements of other roles, summed: their text is hidden"),
            None,
        );
    }
    let cost = full.filter(|t| t.took_us >= SLOW_US).map(|t| {
        format!(
            " (read in {:.0} ms: pg_stat_statements(true) reads every entry's text to return one)",
            t.took_us as f64 / 1000.0
        )
    });
    match full.map(|t| &t.text) {
        Some(Ok(Some(t))) => (
            crate::sqlfmt::layout(t),
            cost.map(|c| format!("full text{c}")),
        ),
        Some(Ok(None)) => (
            cached(f),
            Some("the statement left pg_stat_statements (evicted or reset): its full text is gone".to_owned()),
        ),
        Some(Err(e)) => (cached(f), Some(format!("full text not read: {e}"))),
        None if f.cut => {
            let how = if reading {
                "reading the full text…"
            } else {
                "Enter twice reads the full text"
            };
            (
                cached(f),
                Some(format!("(cut at {} characters; {how})", super::sql::TEXT_CAP)),
            )
        }
        None => (cached(f), None),
    }
}

fn cached(f: &Figures) -> String {
    f.text
        .as_deref()
        .map_or_else(|| "(text not read yet)".to_owned(), crate::sqlfmt::layout)
}
