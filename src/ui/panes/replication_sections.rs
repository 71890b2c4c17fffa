//! The Replication pane's building blocks: titled sections, fixed columns laid out by width (some only on wide
//! terminals, one taking the rest), and the formats its cells share (bytes, lags, sparklines).

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::config::theme::Theme;
use crate::snapshot::PaneError;
use crate::state::State;
use crate::text::{duration_us, fit, fit_right, sanitize};

/// Below this width the columns marked `wide` are left out.
pub const WIDE: u16 = 120;

#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub title: &'static str,
    pub width: usize,
    pub right: bool,
    pub wide: bool,
    pub flex: bool,
}

pub const fn col(title: &'static str, width: usize) -> Col {
    Col {
        title,
        width,
        right: false,
        wide: false,
        flex: false,
    }
}

impl Col {
    pub const fn right(mut self) -> Col {
        self.right = true;
        self
    }

    pub const fn wide(mut self) -> Col {
        self.wide = true;
        self
    }

    pub const fn flex(mut self) -> Col {
        self.flex = true;
        self
    }
}

/// The columns shown at `width` with their final widths; the flex column gets the rest.
/// Columns that do not fit are dropped from the right.
pub fn layout(cols: &[Col], width: u16) -> Vec<(usize, usize)> {
    let wide = width >= WIDE;
    let mut used = 0;
    let mut shown = Vec::new();
    for (i, c) in cols.iter().enumerate() {
        if (c.wide && !wide) || used + c.width + 1 > usize::from(width) + 1 {
            continue;
        }
        used += c.width + 1;
        shown.push(i);
    }
    let spare = (usize::from(width) + 1).saturating_sub(used);
    let flex = shown.iter().position(|&i| cols[i].flex);
    shown
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let extra = if Some(n) == flex { spare } else { 0 };
            (i, cols[i].width + extra)
        })
        .collect()
}

/// One line of cells; `cells[i]` belongs to `cols[i]`. Server text is sanitized by `fit`.
pub fn line<'a>(
    cols: &[Col],
    layout: &[(usize, usize)],
    cells: &[(String, Option<Style>)],
    base: Style,
) -> Line<'a> {
    let mut spans = Vec::with_capacity(layout.len() * 2);
    for (n, &(i, w)) in layout.iter().enumerate() {
        if n > 0 {
            spans.push(Span::styled(" ", base));
        }
        let (text, style) = cells.get(i).map_or(("", None), |(t, s)| (t.as_str(), *s));
        let text = if cols[i].right {
            fit_right(text, w)
        } else {
            fit(text, w)
        };
        spans.push(Span::styled(text, style.unwrap_or(base)));
    }
    Line::from(spans)
}

pub fn header<'a>(cols: &[Col], layout: &[(usize, usize)], style: Style) -> Line<'a> {
    let cells: Vec<(String, Option<Style>)> =
        cols.iter().map(|c| (c.title.to_owned(), None)).collect();
    line(cols, layout, &cells, style)
}

/// Bytes in binary units: "512 B", "1.5 MiB"; `None` is "n/a" (the server gave nothing).
pub fn bytes(n: Option<i64>) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let Some(n) = n else {
        return "n/a".to_owned();
    };
    let mut v = n as f64;
    let mut unit = 0;
    while v.abs() >= 1024.0 && unit + 1 < UNITS.len() {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// A lag interval: "n/a" when the server reports none (idle standby, or no privilege).
pub fn lag(us: Option<i64>) -> String {
    us.map_or_else(|| "n/a".to_owned(), duration_us)
}

/// How long ago `t` was on the server's clock `now`.
pub fn ago(t: Option<i64>, now: i64) -> String {
    t.map_or_else(|| "n/a".to_owned(), |t| duration_us(now - t))
}

/// The values as a sparkline `cells` wide (the newest at the right), scaled to their maximum.
pub fn sparkline<'a>(values: impl DoubleEndedIterator<Item = &'a i64>, cells: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let mut last: Vec<i64> = values.rev().take(cells).copied().collect();
    last.reverse();
    let max = last.iter().copied().max().unwrap_or(0).max(1);
    let mut out: String = last
        .iter()
        .map(|&v| {
            let level = (v.max(0) as f64 / max as f64 * 7.0).round() as usize;
            BARS[level.min(7)]
        })
        .collect();
    let pad = cells.saturating_sub(last.len());
    out.insert_str(0, &" ".repeat(pad));
    out
}

/// A titled block of lines; `focus` is the selected row, if any.
pub(super) struct Section<'a> {
    pub(super) head: Vec<Line<'a>>,
    pub(super) rows: Vec<Line<'a>>,
    pub(super) focus: Option<usize>,
}

pub(super) struct Ctx<'s> {
    pub(super) state: &'s State,
    pub(super) theme: &'s Theme,
    pub(super) version: i32,
    pub(super) login: &'s str,
    pub(super) now: i64,
    /// Subscriptions do not run on a standby: no worker is normal there.
    pub(super) standby: bool,
}

pub(super) fn title<'a>(label: &str, rest: String, theme: &Theme) -> Line<'a> {
    Line::from(vec![
        Span::styled(format!(" {label} "), theme.header_label),
        Span::styled(rest, theme.header),
    ])
}

/// A section's error, and on its own line the grant that fixes a permission error.
pub(super) fn error_lines<'a>(what: &str, e: &PaneError, ctx: &Ctx) -> Vec<Line<'a>> {
    let mut lines = vec![Line::styled(
        format!("{what}: {}", sanitize(&e.to_string())),
        ctx.theme.error,
    )];
    if e.is_permission() {
        lines.push(Line::styled(
            format!("  GRANT pg_monitor TO {}", sanitize(ctx.login)),
            ctx.theme.warning,
        ));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(bytes(Some(512)), "512 B");
        assert_eq!(bytes(Some(1_572_864)), "1.5 MiB");
        assert_eq!(bytes(None), "n/a");
        assert_eq!(lag(None), "n/a");
        assert_eq!(lag(Some(1_500)), "1ms");
        assert_eq!(sparkline([0, 7, 14].iter(), 5), "  ▁▅█");
        assert_eq!(sparkline([3, 3].iter(), 1), "█");
        assert_eq!(sparkline([0, 0].iter(), 2), "▁▁");
    }

    #[test]
    fn columns_drop_from_the_right_and_flex_takes_the_rest() {
        let cols = [col("A", 5), col("B", 10).flex(), col("C", 8).wide()];
        assert_eq!(layout(&cols, 80), vec![(0, 5), (1, 80 - 6)]);
        assert_eq!(layout(&cols, 130), vec![(0, 5), (1, 130 - 15), (2, 8)]);
        assert_eq!(layout(&cols, 12), vec![(0, 5)]);
    }
}
