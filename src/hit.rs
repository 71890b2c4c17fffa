//! Mouse hit-testing: which thing is drawn at a cell. A pure function of the state (its
//! viewport and view models), using the same layout functions as drawing, so it needs nothing
//! from the last frame and nothing from the draw code. Each pane answers for its body through
//! [`Hit`], in its folder.

use ratatui::layout::Rect;

use crate::layout::{inside, tabs};
use crate::panes::Pane;
use crate::panes::activity::columns::Column;
use crate::panes::connections::groups::GroupColumn;
use crate::state::{Mode, State};

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
    /// A column header of the focused pane's table, by the table's sort key number
    /// (`columns::Col::sort`).
    SortKey(u8),
    /// The pane's body, somewhere without a target of its own.
    Body,
    None,
}

/// What a pane's body holds at a cell.
pub trait Hit {
    /// The key a selectable row of the pane is known by (`Infallible` for a pane whose rows
    /// `Target` names otherwise).
    type Key: Clone + PartialEq + Eq + std::fmt::Debug;

    /// What a click at (`x`, `y`) inside `body` means, by the layout the pane is drawn with.
    fn at(state: &State, body: Rect, x: u16, y: u16) -> Target;

    /// Selects the row known by `key` (it was clicked).
    fn select(state: &mut State, key: Self::Key);

    /// Sorts by the table's sort key number `key` (its header was clicked), or reverses the
    /// order when it already is the sort. Only panes that answer `Target::SortKey` need it.
    fn sort_by(_state: &mut State, _key: u8) {}
}

macro_rules! dispatch {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
        /// A selectable row of a pane, by the key its selection follows.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Pick {
            $($variant(<crate::panes::$module::Def as Hit>::Key),)*
        }

        /// Selects the row a click picked, in its pane.
        pub fn select(state: &mut State, pick: Pick) {
            match pick {
                $(Pick::$variant(key) => <crate::panes::$module::Def as Hit>::select(state, key),)*
            }
        }

        /// Sorts the focused pane's table by a clicked header's sort key.
        pub fn sort_by(state: &mut State, key: u8) {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Hit>::sort_by(state, key),)*
            }
        }

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
        return tabs::at(&state.tabs(), x).map_or(Target::None, Target::Tab);
    }
    if !inside(v.body, x, y) {
        return Target::None;
    }
    if state.mode != Mode::Normal || state.shown.is_none() {
        return Target::Body;
    }
    pane_at(state, v.body, x, y)
}
