//! Mouse hit-testing: which thing is drawn at a cell. A pure function of the state (its
//! viewport and view models), using the same layout functions as drawing, so it needs nothing
//! from the last frame and nothing from the draw code. Each pane answers for its body through
//! [`Hit`], in its folder.

use ratatui::layout::Rect;

use crate::layout::{inside, tab_at};
use crate::panes::Pane;
use crate::panes::activity::columns::Column;
use crate::panes::connections::groups::{GroupColumn, GroupKey};
use crate::panes::locks::tree::NodeKey;
use crate::panes::progress::view as progress;
use crate::panes::replication::view as replication;
use crate::panes::waits::view as waits_state;
use crate::state::{Mode, State};

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

/// What a pane's body holds at a cell.
pub trait Hit {
    /// What a click at (`x`, `y`) inside `body` means, by the layout the pane is drawn with.
    fn at(state: &State, body: Rect, x: u16, y: u16) -> Target;
}

macro_rules! dispatch {
    ($(($n:literal, $variant:ident, $module:ident)),* $(,)?) => {
        fn pane_at(state: &State, body: Rect, x: u16, y: u16) -> Target {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Hit>::at(state, body, x, y),)*
            }
        }
    };
}
crate::panes::for_each_pane!(dispatch);

pub fn target(state: &State, x: u16, y: u16) -> Target {
    let v = &state.viewport;
    if !v.fits() {
        return Target::None;
    }
    if y == v.tabs.y {
        return tab_at(x).map_or(Target::None, Target::Tab);
    }
    if !inside(v.body, x, y) {
        return Target::None;
    }
    if state.mode != Mode::Normal || state.shown.is_none() {
        return Target::Body;
    }
    pane_at(state, v.body, x, y)
}
