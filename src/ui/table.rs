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

/// Sections one under another in `height` lines: every head is shown, every section gets one
/// row first and then the rest in order, and each keeps its selected row in view.
pub fn stack(sections: Vec<Section<'_>>, height: usize) -> Vec<Line<'_>> {
    let wanted: Vec<usize> = sections.iter().map(|s| s.rows.len()).collect();
    let heads: usize = sections.iter().map(|s| s.head.len()).sum();
    let heights = allocate(&wanted, height.saturating_sub(heads));
    let mut lines = Vec::with_capacity(height);
    for (s, rows) in sections.into_iter().zip(heights) {
        lines.extend(s.head);
        // The window ends at the selected row, so it is the last one shown.
        let start = s.focus.map_or(0, |f| (f + 1).saturating_sub(rows));
        lines.extend(s.rows.into_iter().skip(start).take(rows));
    }
    lines.truncate(height);
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
    use super::allocate;

    // Heights are what is left under the heads (the Progress pane's four heads take 8 lines).
    #[test]
    fn allocation_gives_each_section_a_row_first() {
        assert_eq!(allocate(&[5, 3, 2, 20], 20 - 8), [5, 3, 2, 2]);
        assert_eq!(allocate(&[5, 3, 2, 20], 11 - 8), [1, 1, 1, 0]);
        assert_eq!(allocate(&[1, 1, 1, 1], 100 - 8), [1, 1, 1, 1]);
        assert_eq!(allocate(&[1, 1, 1, 1], 0), [0, 0, 0, 0]);
    }
}
