//! Enter in the Statements pane: the selected statement's identity, its figures with their
//! names, and its text (formatted, sanitized, wrapped by the paragraph).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::view::{Figures, Mode};
use crate::config::theme::Theme;
use crate::text::sanitize;

const NAMES: [&str; 12] = [
    "user", "database", "calls", "time", "mean ms", "rows", "hit", "read", "hit %", "temp",
    "WAL", "plan",
];

/// `values` are the row's cells as the table draws them.
pub fn lines<'a>(
    f: &Figures,
    values: &[(String, Option<Style>)],
    mode: Mode,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let per = if mode.rates() { " /s" } else { "" };
    let mut out = vec![Line::styled(
        format!(
            "{} · queryid {} · {} (Enter or Esc closes)",
            mode.label(),
            f.key.queryid.map_or_else(|| "hidden".to_owned(), |q| q.to_string()),
            match f.key.toplevel {
                Some(false) => "nested",
                _ => "top level",
            }
        ),
        theme.table_header,
    )];
    let figures: Vec<Span<'a>> = NAMES
        .iter()
        .zip(values)
        .enumerate()
        .flat_map(|(i, (n, (v, _)))| {
            // Names, the mean and the hit ratio are not per second.
            let unit = if i >= 2 && i != 4 && i != 8 { per } else { "" };
            [
                Span::styled(format!("{n}{unit} "), theme.header_label),
                Span::styled(format!("{}   ", sanitize(v)), theme.header_value),
            ]
        })
        .collect();
    out.push(Line::from(figures));
    out.push(Line::raw(""));
    let text = match (&f.text, f.hidden) {
        (_, n) if n > 0 => format!("{n} statements of other roles, summed: their text is hidden"),
        (Some(t), _) => crate::sqlfmt::layout(t),
        (None, _) => "(text not read yet)".to_owned(),
    };
    out.extend(
        text.lines()
            .map(|l| Line::styled(sanitize(l).into_owned(), Style::default())),
    );
    if f.cut {
        out.push(Line::styled(
            format!("(cut at {} characters)", super::sql::TEXT_CAP),
            theme.warning,
        ));
    }
    out
}
