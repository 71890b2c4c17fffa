//! Mouse hit-testing: which thing is drawn at a cell. A pure function of the state and the
//! terminal size, using the same layout functions as drawing, so it needs nothing from the last
//! frame. The panes besides Activity have a file each under `hit/`.

pub(crate) mod connections;
pub(crate) mod locks;
pub(crate) mod sections;
pub(crate) mod waits;

use ratatui::layout::Rect;

use crate::panes::Pane;
use crate::state::columns::Column;
use crate::state::groups::{GroupColumn, GroupKey};
use crate::state::locks_tree::NodeKey;
use crate::state::{Mode, State, progress, replication, waits as waits_state};
use crate::text::width;

/// A row of a pane other than Activity, by the key its selection follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pick {
    /// A node of the blocking tree and the blocker it is shown under.
    Lock(NodeKey, Option<NodeKey>),
    Group(GroupKey),
    Wait(waits_state::RowKey),
    Progress(progress::RowKey),
    Replication(replication::RowKey),
}

/// What a click at a cell means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Tab(Pane),
    /// An Activity column header.
    Header(Column),
    /// An Activity row, by its position in `rows` (the caller turns it into a pid at once).
    Row(usize),
    /// A column header of the Connections groups.
    GroupHeader(GroupColumn),
    /// A selectable row of another pane.
    Pick(Pick),
    /// The pane's body, somewhere without a target of its own.
    Body,
    None,
}

pub fn target(state: &State, x: u16, y: u16) -> Target {
    let (w, h) = state.size;
    if w < super::MIN_WIDTH || h < super::MIN_HEIGHT {
        return Target::None;
    }
    let [_, tabs, body, _] = super::areas(Rect::new(0, 0, w, h));
    if y == tabs.y {
        return tab_at(x);
    }
    if !inside(body, x, y) {
        return Target::None;
    }
    if state.mode != Mode::Normal || state.shown.is_none() {
        return Target::Body;
    }
    super::pane::hit(state, body, x, y)
}

/// The line of `area` at `y` counted from its top, if `y` is inside it.
fn line_in(area: Rect, y: u16) -> Option<usize> {
    (y >= area.y && y < area.y + area.height).then(|| usize::from(y - area.y))
}

fn inside(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

fn tab_at(x: u16) -> Target {
    let mut left = 0usize;
    for &pane in Pane::ALL {
        let w = width(&super::tab_label(pane));
        if (left..left + w).contains(&usize::from(x)) {
            return Target::Tab(pane);
        }
        left += w + 1;
    }
    Target::None
}

/// The Activity table: its header line, then one line per row from the scroll offset.
pub(crate) fn activity_at(state: &State, body: Rect, x: u16, y: u16) -> Target {
    let view = &state.activity;
    if y == body.y {
        let cols = super::panes::activity::layout(body.width, &view.columns);
        let mut left = usize::from(body.x);
        for (col, w) in cols {
            if (left..left + w).contains(&usize::from(x)) {
                return Target::Header(col);
            }
            left += w + 1;
        }
        return Target::Body;
    }
    let page = usize::from(body.height.saturating_sub(1));
    // The same clamp as drawing.
    let offset = view.offset.min(view.rows.len().saturating_sub(page));
    let index = offset + usize::from(y - body.y - 1);
    if index < view.rows.len() {
        Target::Row(index)
    } else {
        Target::Body
    }
}
