//! Pure geometry: the terminal size -> where everything goes (header, tab line, pane body,
//! footer), computed once per resize and kept in the state, and the stacking of titled
//! sections. Drawing and mouse hit-testing both read it, so a click lands where the thing was
//! drawn; nothing here styles or draws.

use ratatui::layout::{Constraint, Layout, Rect};

pub mod tabs;

/// From this width the header is one line; below [`NARROW`] it is three (two in between).
pub const WIDE: u16 = 180;
pub const NARROW: u16 = 80;
/// Below this the screen says so instead of drawing a broken layout.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 8;

/// Where the parts of the screen go at one terminal size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    /// Terminal size in cells.
    pub size: (u16, u16),
    pub header: Rect,
    pub tabs: Rect,
    pub body: Rect,
    pub footer: Rect,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport::new(80, 24)
    }
}

impl Viewport {
    pub fn new(w: u16, h: u16) -> Viewport {
        let [header, tabs, body, footer] = Layout::vertical([
            Constraint::Length(header_rows(w)),
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
        ])
        .areas(Rect::new(0, 0, w, h));
        Viewport {
            size: (w, h),
            header,
            tabs,
            body,
            footer,
        }
    }

    /// Big enough to draw; otherwise the screen only says it is too small.
    pub fn fits(&self) -> bool {
        self.size.0 >= MIN_WIDTH && self.size.1 >= MIN_HEIGHT
    }

    /// Table rows that fit on screen: the terminal minus header, tabs, table header and footer.
    pub fn page_rows(&self) -> usize {
        usize::from(self.body_rows().saturating_sub(1))
    }

    /// Rows of the pane body (the screen minus header, tabs and footer).
    pub fn body_rows(&self) -> u16 {
        self.size.1.saturating_sub(header_rows(self.size.0) + 2)
    }
}

/// Lines of the header at width `w`: the header fits its items to them by priority.
pub fn header_rows(w: u16) -> u16 {
    if w >= WIDE {
        1
    } else if w >= NARROW {
        2
    } else {
        3
    }
}

/// The line of `area` at `y` counted from its top, if `y` is inside it.
pub fn line_in(area: Rect, y: u16) -> Option<usize> {
    (y >= area.y && y < area.y + area.height).then(|| usize::from(y - area.y))
}

pub fn inside(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

/// A titled section of a pane made of stacked sections: its head lines (title, column header),
/// its rows, and the selected row, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub heads: usize,
    pub rows: usize,
    pub focus: Option<usize>,
}

/// A line of stacked sections: a head line of section `.0`, or its row `.1`.
pub type Slot = (usize, Option<usize>);

/// Where each of the `height` lines of sections stacked one under another comes from: every
/// head is shown, every section gets one row first and then the rest in order, and each keeps
/// its selected row in view. Drawing stacks by it and a click reads it.
pub fn plan(sections: &[Shape], height: usize) -> Vec<Slot> {
    let wanted: Vec<usize> = sections.iter().map(|s| s.rows).collect();
    let heads: usize = sections.iter().map(|s| s.heads).sum();
    let heights = allocate(&wanted, height.saturating_sub(heads));
    let mut out = Vec::with_capacity(height);
    for (n, (s, rows)) in sections.iter().zip(heights).enumerate() {
        out.extend((0..s.heads).map(|_| (n, None)));
        // The window ends at the selected row, so it is the last one shown.
        let start = s.focus.map_or(0, |f| (f + 1).saturating_sub(rows));
        out.extend((start..s.rows).take(rows).map(|r| (n, Some(r))));
    }
    out.truncate(height);
    out
}

/// The section and row planned at line `y` of `body`.
pub fn slot_at(sections: &[Shape], body: Rect, y: u16) -> Option<(usize, usize)> {
    let line = line_in(body, y)?;
    let (section, row) = *plan(sections, usize::from(body.height)).get(line)?;
    Some((section, row?))
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
    use super::{Shape, Viewport, allocate, plan};

    // Heights are what is left under the heads (the Progress pane's four heads take 8 lines).
    #[test]
    fn allocation_gives_each_section_a_row_first() {
        assert_eq!(allocate(&[5, 3, 2, 20], 20 - 8), [5, 3, 2, 2]);
        assert_eq!(allocate(&[5, 3, 2, 20], 11 - 8), [1, 1, 1, 0]);
        assert_eq!(allocate(&[1, 1, 1, 1], 100 - 8), [1, 1, 1, 1]);
        assert_eq!(allocate(&[1, 1, 1, 1], 0), [0, 0, 0, 0]);
    }

    #[test]
    fn the_window_of_a_section_ends_at_its_selected_row() {
        let shape = |rows, focus| Shape {
            heads: 1,
            rows,
            focus,
        };
        let slots = plan(&[shape(5, Some(4)), shape(3, None)], 6);
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

    #[test]
    fn the_body_is_the_screen_minus_the_chrome() {
        let v = Viewport::new(80, 24);
        assert_eq!(
            (v.tabs.y, v.body.y, v.body.height, v.footer.y),
            (2, 3, 20, 23)
        );
        assert_eq!((v.page_rows(), v.body_rows()), (19, 20));
        assert!(!Viewport::new(39, 24).fits());
        // The header takes one line on a wide screen, three on a narrow one.
        let wide = Viewport::new(200, 50);
        assert_eq!((wide.tabs.y, wide.body_rows()), (1, 47));
        let narrow = Viewport::new(60, 24);
        assert_eq!(
            (narrow.tabs.y, narrow.body_rows(), narrow.body.y),
            (3, 19, 4)
        );
    }
}
