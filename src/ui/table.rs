//! Small fixed tables shared by the panes' sections: columns with a title and a width (some
//! right-aligned, some only on wide terminals, some taking what is left), one styled line per
//! row with every cell fitted and sanitized, and the byte format.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::layout::{Shape, plan};
use crate::text::{fit, fit_right};

pub use crate::columns::{Col, col};

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

/// The shape of each section, as [`crate::layout::plan`] stacks them.
pub fn shapes(sections: &[Section<'_>]) -> Vec<Shape> {
    sections
        .iter()
        .map(|s| Shape {
            heads: s.head.len(),
            rows: s.rows.len(),
            focus: s.focus,
        })
        .collect()
}

/// Sections one under another in `height` lines: every head is shown, every section gets one
/// row first and then the rest in order, and each keeps its selected row in view.
pub fn stack(sections: Vec<Section<'_>>, height: usize) -> Vec<Line<'_>> {
    let plan = plan(&shapes(&sections), height);
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

#[cfg(test)]
mod tests {
    use super::{Section, stack};
    use ratatui::text::Line;

    #[test]
    fn stack_draws_the_lines_the_plan_names() {
        let section = |head: &str, rows: usize, focus| Section {
            head: vec![Line::raw(head.to_owned())],
            rows: (0..rows).map(|r| Line::raw(format!("{head}{r}"))).collect(),
            focus,
        };
        let sections = vec![section("a", 5, Some(4)), section("b", 3, None)];
        let lines = stack(sections, 6);
        let names: Vec<String> = lines.iter().map(ToString::to_string).collect();
        // Each section gets a row first; the window of `a` ends at its selected row.
        assert_eq!(names, ["a", "a2", "a3", "a4", "b", "b0"]);
    }
}
