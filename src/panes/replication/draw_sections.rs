//! The Replication pane's building blocks: titled sections, fixed columns laid out by width (some only on wide
//! terminals, one taking the rest), and the formats its cells share (bytes, lags, sparklines).

use ratatui::text::{Line, Span};

use crate::config::theme::Theme;
use crate::snapshot::PaneError;
use crate::state::State;
use crate::text::{duration_us, sanitize};
pub use crate::ui::table::{Col, Section, col, header, line};

/// Below this width the columns marked `wide` are left out.
pub const WIDE: u16 = 120;

/// Of the configured columns `chosen` (indices into `cols`, in display order), those shown at
/// `width` with their final widths, by [`crate::columns::fit`]; the flex column gets the rest.
pub fn layout(cols: &[Col], chosen: &[usize], width: u16) -> Vec<(usize, usize)> {
    named_layout(cols, chosen, width, 0)
}

/// [`layout`] for a table whose first column names its rows: that column grows up to `longest`
/// (its longest value) and no further, so the numbers stay next to the names.
pub fn named_layout(
    cols: &[Col],
    chosen: &[usize],
    width: u16,
    longest: usize,
) -> Vec<(usize, usize)> {
    let fit = crate::columns::Fit {
        width: usize::from(width),
        wide_from: usize::from(WIDE),
    };
    let name = (crate::text::width(cols.first().map_or("", |c| c.title)) + 1).max(longest);
    crate::columns::fit(cols, chosen, fit, |i| if i == 0 { name } else { 0 })
}

/// The width of the longest of `names`.
pub fn longest<'n>(names: impl Iterator<Item = &'n str>) -> usize {
    names.map(crate::text::width).max().unwrap_or(0)
}

/// Bytes in binary units: "512 B", "1.5 MiB"; `None` is "n/a" (the server gave nothing).
pub fn bytes(n: Option<i64>) -> String {
    n.map_or_else(|| "n/a".to_owned(), crate::ui::table::bytes)
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
        let all = [0, 1, 2];
        assert_eq!(layout(&cols, &all, 80), vec![(0, 5), (1, 80 - 6)]);
        assert_eq!(
            layout(&cols, &all, 130),
            vec![(0, 5), (1, 130 - 15), (2, 8)]
        );
        assert_eq!(layout(&cols, &all, 12), vec![(0, 5)]);
        assert_eq!(layout(&cols, &[2, 0], 130), vec![(2, 8), (0, 5)]);
    }
}
