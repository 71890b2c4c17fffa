//! What `update` asks of every pane, through the registry: follow a new snapshot, rebuild its
//! rows from the shown one and the viewport, move its selection, name the backend selected,
//! open what a row groups (Enter), and its own keys.

use crate::action::Action;
use crate::panes::Pane;
use crate::snapshot::Snapshot;
use crate::state::State;

use crate::effect::Effect;

/// What a pane's global key asks of `update` once it has changed its own state: panes name the
/// follow-up rather than calling back into `update`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Request {
    /// Nothing more to do.
    Done,
    /// Re-derive every pane's rows from the shown snapshot.
    Rebuild,
    /// Switch to this pane (which rebuilds, and tells the collector).
    Focus(Pane),
}

/// A key a pane offers: its action and the word the footer shows for it. The help overlay
/// lists the focused pane's keys first, in this order.
pub type Hint = (Action, &'static str);

pub trait Keys {
    /// The pane's own keys, most useful first: the footer shows them before the global ones.
    const HINTS: &'static [Hint] = &[];

    /// A snapshot arrived, before it replaces `state.latest` (and, unless paused, `shown`):
    /// for figures derived from two snapshots. `showing` is false while paused.
    fn on_snapshot(_state: &mut State, _new: &Snapshot, _showing: bool) {}

    /// Re-derives the pane's rows from the shown snapshot and the viewport, and re-anchors
    /// the selection on its key. `focused`: the pane is on screen (a pane may skip work then).
    fn rebuild(state: &mut State, focused: bool);

    /// Moves the selection by `delta` rows.
    fn move_by(state: &mut State, delta: isize);

    /// The backend selected, by pid: what actions act on. `None` where a row is not a backend.
    fn selected_pid(_state: &State) -> Option<i32> {
        None
    }

    /// Enter on a row that groups sessions: filters Activity to them and says whether there
    /// was one. `None` where rows are backends (Enter opens the details instead).
    fn drill_in(_state: &mut State) -> Option<bool> {
        None
    }

    /// The pane's own keys while it is focused; `Some` when handled.
    fn on_action(_state: &mut State, _action: Action) -> Option<Vec<Effect>> {
        None
    }
}

macro_rules! dispatch {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
        pub fn on_snapshot(state: &mut State, new: &Snapshot, showing: bool) {
            $(<crate::panes::$module::Def as Keys>::on_snapshot(state, new, showing);)*
        }

        /// Every pane, in number order.
        pub fn rebuild(state: &mut State) {
            $(
                let focused = state.pane == Pane::$variant;
                <crate::panes::$module::Def as Keys>::rebuild(state, focused);
            )*
        }

        pub fn move_by(state: &mut State, delta: isize) {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Keys>::move_by(state, delta),)*
            }
        }

        pub fn selected_pid(state: &State) -> Option<i32> {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Keys>::selected_pid(state),)*
            }
        }

        pub fn drill_in(state: &mut State) -> Option<bool> {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Keys>::drill_in(state),)*
            }
        }

        /// The keys `pane` offers, most useful first.
        pub fn hints(pane: Pane) -> &'static [Hint] {
            match pane {
                $(Pane::$variant => <crate::panes::$module::Def as Keys>::HINTS,)*
            }
        }

        pub fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
            match state.pane {
                $(Pane::$variant => <crate::panes::$module::Def as Keys>::on_action(state, action),)*
            }
        }
    };
}
crate::panes::for_each_pane!(dispatch);
