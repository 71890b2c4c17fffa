//! Small fixed tables shared by the panes' sections: columns with a title and a width (some
//! right-aligned, some only on wide terminals, some taking what is left), one styled line per
//! row with every cell fitted and sanitized, and the byte format.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::text::{fit, fit_right};

#[derive(Debug, Clone, Copy)]
pub struct Col {
    pub title: &'static str,
    pub width: usize,
    pub right: bool,
    /// Shown only on wide terminals.
    pub wide: bool,
    /// Takes the width the other columns leave.
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
    #[must_use]
    pub const fn right(mut self) -> Col {
        self.right = true;
        self
    }

    #[must_use]
    pub const fn wide(mut self) -> Col {
        self.wide = true;
        self
    }

    #[must_use]
    pub const fn flex(mut self) -> Col {
        self.flex = true;
        self
    }
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

/// Bytes in binary units: "512 B", "1.5 MiB".
pub fn bytes(n: i64) -> String {
    const UNITS: [&str; 6] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
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

/// A titled table: title and column header, then rows; `focus` is the selected row, if any.
pub struct Section<'a> {
    pub head: Vec<Line<'a>>,
    pub rows: Vec<Line<'a>>,
    pub focus: Option<usize>,
}

/// A line of stacked sections: a head line of section `.0`, or its row `.1`.
pub type Slot = (usize, Option<usize>);

/// Where each of the `height` lines of [`stack`] comes from. Mouse hit-testing reads it, so a
/// click lands on the row drawn there.
pub fn plan(sections: &[Section<'_>], height: usize) -> Vec<Slot> {
    let wanted: Vec<usize> = sections.iter().map(|s| s.rows.len()).collect();
    let heads: usize = sections.iter().map(|s| s.head.len()).sum();
    let heights = allocate(&wanted, height.saturating_sub(heads));
    let mut out = Vec::with_capacity(height);
    for (n, (s, rows)) in sections.iter().zip(heights).enumerate() {
        out.extend((0..s.head.len()).map(|_| (n, None)));
        // The window ends at the selected row, so it is the last one shown.
        let start = s.focus.map_or(0, |f| (f + 1).saturating_sub(rows));
        out.extend((start..s.rows.len()).take(rows).map(|r| (n, Some(r))));
    }
    out.truncate(height);
    out
}

/// Sections one under another in `height` lines: every head is shown, every section gets one
/// row first and then the rest in order, and each keeps its selected row in view.
pub fn stack(sections: Vec<Section<'_>>, height: usize) -> Vec<Line<'_>> {
    let plan = plan(&sections, height);
    let mut lines = Vec::with_capacity(plan.len());
    for (n, s) in sections.into_iter().enumerate() {
        let mine = || plan.iter().filter(move |(m, _)| *m == n);
        let heads = mine().filter(|(_, r)| r.is_none()).count();
        lines.extend(s.head.into_iter().take(heads));
        let mut rows: Vec<Option<Line<'_>>> = s.rows.into_iter().map(Some).collect();
        for r in mine().filter_map(|(_, r)| *r) {
            lines.extend(rows.get_mut(r).and_then(Option::take));
        }
    }
    lines
}

/// Rows per section for `height` lines: each section first gets one row, then the rest in order.
fn allocate(wanted: &[usize], height: usize) -> Vec<usize> {
    let mut left = height;
    let mut out: Vec<usize> = wanted
        .iter()
        .map(|&w| {
            let one = w.min(1).min(left);
            left -= one;
            one
        })
        .collect();
    for (o, &w) in out.iter_mut().zip(wanted) {
        let more = (w - *o).min(left);
        *o += more;
        left -= more;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Section, allocate, plan, stack};
    use ratatui::text::Line;

    // Heights are what is left under the heads (the Progress pane's four heads take 8 lines).
    #[test]
    fn allocation_gives_each_section_a_row_first() {
        assert_eq!(allocate(&[5, 3, 2, 20], 20 - 8), [5, 3, 2, 2]);
        assert_eq!(allocate(&[5, 3, 2, 20], 11 - 8), [1, 1, 1, 0]);
        assert_eq!(allocate(&[1, 1, 1, 1], 100 - 8), [1, 1, 1, 1]);
        assert_eq!(allocate(&[1, 1, 1, 1], 0), [0, 0, 0, 0]);
    }

    #[test]
    fn the_plan_names_the_line_stack_draws() {
        let section = |head: &str, rows: usize, focus| Section {
            head: vec![Line::raw(head.to_owned())],
            rows: (0..rows).map(|r| Line::raw(format!("{head}{r}"))).collect(),
            focus,
        };
        let sections = || vec![section("a", 5, Some(4)), section("b", 3, None)];
        let lines = stack(sections(), 6);
        let names: Vec<String> = lines.iter().map(ToString::to_string).collect();
        // Each section gets a row first; the window of `a` ends at its selected row.
        assert_eq!(names, ["a", "a2", "a3", "a4", "b", "b0"]);
        let slots = plan(&sections(), 6);
        assert_eq!(
            slots,
            [
                (0, None),
                (0, Some(2)),
                (0, Some(3)),
                (0, Some(4)),
                (1, None),
                (1, Some(0))
            ]
        );
    }
}
