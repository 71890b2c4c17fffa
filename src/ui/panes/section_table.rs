//! Small fixed tables for the Progress pane's sections: column layout by width, one styled line
//! per row, and the number formats the sections share.

use ratatui::text::Line;

use crate::config::theme::Theme;
use crate::snapshot::PaneError;
use crate::text::sanitize;
pub use crate::ui::table::{Col, Section, bytes, col, header, line};

/// One row's cells, each with its own style if it has one.
pub type Cells = Vec<(String, Option<ratatui::style::Style>)>;

/// Below this width the columns marked `wide` are left out.
pub const WIDE: u16 = 100;

/// Of the configured columns `chosen` (indices into `cols`, in display order), those shown at
/// `width`, with their final widths, by [`crate::columns::fit`]: name columns stay at their
/// least width (see [`layout_cells`] for a table whose cells are known).
pub fn layout(cols: &[Col], chosen: &[usize], width: u16) -> Vec<(usize, usize)> {
    crate::columns::fit(cols, chosen, fit_at(width), |i| cols[i].width)
}

/// [`layout`] for a table whose rows' cells are known: a name column grows up to its longest
/// value.
pub fn layout_cells(
    cols: &[Col],
    chosen: &[usize],
    width: u16,
    rows: &[Cells],
) -> Vec<(usize, usize)> {
    let texts: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(|(t, _)| t.as_str()).collect())
        .collect();
    let needs = crate::columns::needs(cols, &texts);
    crate::columns::fit(cols, chosen, fit_at(width), |i| needs[i])
}

fn fit_at(width: u16) -> crate::columns::Fit {
    crate::columns::Fit {
        width: usize::from(width),
        wide_from: usize::from(WIDE),
    }
}

/// 1234567 → "1,234,567".
pub fn group(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An amount in its unit: bytes scaled, anything else grouped with the unit's name.
pub fn amount(n: i64, unit: &str) -> String {
    if unit == "bytes" {
        bytes(n)
    } else {
        format!("{} {unit}", group(n))
    }
}

/// A share as a percentage with one decimal below 10 %, none above.
pub fn percent(fraction: f64) -> String {
    let p = fraction * 100.0;
    if p < 10.0 {
        format!("{p:.1}%")
    } else {
        format!("{p:.0}%")
    }
}

/// A bar of `cells` cells filled to `fraction`, in eighths.
pub fn bar(fraction: f64, cells: usize) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    let eighths = (fraction.clamp(0.0, 1.0) * (cells * 8) as f64).round() as usize;
    let mut out = String::with_capacity(cells * 3);
    for i in 0..cells {
        let filled = eighths.saturating_sub(i * 8).min(8);
        out.push(if filled == 8 { '█' } else { PARTS[filled] });
    }
    out
}

pub fn title<'a>(label: &str, rest: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        ratatui::text::Span::styled(format!(" {label} "), theme.header_label),
        ratatui::text::Span::styled(rest, theme.header),
    ])
}

pub fn error_line<'a>(what: &str, e: &PaneError, theme: &Theme) -> Line<'a> {
    let mut msg = format!("{what}: {}", sanitize(&e.to_string()));
    if e.is_permission() {
        msg.push_str(" — GRANT pg_monitor to the monitoring role");
    }
    Line::styled(msg, theme.error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(group(1_234_567), "1,234,567");
        assert_eq!(group(-1_000), "-1,000");
        assert_eq!(group(999), "999");
        assert_eq!(bytes(512), "512 B");
        assert_eq!(bytes(1_572_864), "1.5 MiB");
        assert_eq!(percent(0.052), "5.2%");
        assert_eq!(percent(0.5), "50%");
        assert_eq!(bar(0.5, 4), "██  ");
        assert_eq!(bar(1.0, 3), "███");
        assert_eq!(bar(0.0, 2), "  ");
        assert_eq!(bar(0.0625, 2), "▏ ");
    }

    #[test]
    fn flex_takes_the_rest_and_wide_columns_drop() {
        let cols = [col("A", 5), col("B", 10).flex(), col("C", 8).wide()];
        let all = [0, 1, 2];
        assert_eq!(layout(&cols, &all, 80), vec![(0, 5), (1, 80 - 6)]);
        assert_eq!(
            layout(&cols, &all, 120),
            vec![(0, 5), (1, 120 - 6 - 9), (2, 8)]
        );
        let two = [col("A", 5).flex(), col("B", 10).flex()];
        assert_eq!(layout(&two, &all[..2], 24), vec![(0, 5 + 4), (1, 10 + 4)]);
        // Configured: C first, A left out.
        assert_eq!(layout(&cols, &[2, 1], 120), vec![(2, 8), (1, 120 - 9)]);
    }

    #[test]
    fn a_name_column_takes_what_its_longest_value_needs() {
        let cols = [col("NAME", 8).capped(), col("N", 5).right()];
        let rows = vec![vec![
            ("a_rather_long_name".to_owned(), None),
            ("1".to_owned(), None),
        ]];
        assert_eq!(
            layout_cells(&cols, &[0, 1], 160, &rows),
            vec![(0, 18), (1, 5)]
        );
    }
}
