//! The Connections pane's keys: its rows are groups of sessions; Enter opens a group in
//! Activity, and the groups table sorts by its own columns.

use super::groups::Grouping;
use crate::action::Action;
use crate::effect::Effect;
use crate::snapshot::Snapshot;
use crate::state::State;
use crate::state::filter::Filter;
use crate::update::pane::{Hint, Keys};

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::NextGrouping, "grouping"),
        (Action::Details, "open group"),
        (Action::SortNext, "sort"),
        (Action::SortReverse, "reverse"),
    ];

    /// Churn needs the two newest snapshots, paused or not.
    fn on_snapshot(state: &mut State, new: &Snapshot, _showing: bool) {
        state.views.connections.observe(state.latest.as_deref(), new);
    }

    /// Only when shown: grouping 10,000 sessions is not free. Focusing rebuilds on the way in.
    fn rebuild(state: &mut State, focused: bool) {
        if focused {
            let body = state.body_rows();
            let snapshot = state.shown.clone();
            let activity = snapshot.as_deref().and_then(|s| s.activity.as_ref().ok());
            let (all, now) = activity.map_or((&[][..], 0), |a| (a.backends.as_slice(), a.now));
            let filter = &state.views.activity;
            let sessions = filter.narrowed(all, now);
            let keeps = |b: &crate::snapshot::Backend| filter.admits(b, now);
            state
                .views
                .connections
                .rebuild(snapshot.as_deref(), &sessions, &keeps, body);
        }
    }

    fn move_by(state: &mut State, delta: isize) {
        let body = state.body_rows();
        state.views.connections.move_by(delta, body);
    }

    fn drill_in(state: &mut State) -> Option<bool> {
        Some(state.drill_into_group())
    }

    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        match action {
            Action::SortNext | Action::SortPrev => {
                state.views.connections.cycle_sort(action == Action::SortNext);
            }
            Action::SortReverse => state.views.connections.descending = !state.views.connections.descending,
            _ => return None,
        }
        // Only this pane's rows depend on its sort.
        <Self as Keys>::rebuild(state, true);
        Some(Vec::new())
    }
}

impl State {
    /// Enter on a group: the Activity pane filtered to exactly its sessions, idle ones shown,
    /// ready for a bulk action. Returns false when nothing is selected.
    pub fn drill_into_group(&mut self) -> bool {
        let view = &self.views.connections;
        let Some(text) = view.drill_filter() else {
            return false;
        };
        // Hidden sessions have no backend type, so Activity counts them as background.
        let show_background = match view.grouping {
            Grouping::BackendType => view.selected != Some(Some("client backend".to_owned())),
            _ => view.selected_group().is_some_and(|g| g.hidden > 0),
        };
        self.views.activity.filter = Filter::parse(&text);
        self.views.activity.show_idle = true;
        self.views.activity.show_background = show_background;
        self.views.activity.selected = None;
        self.views.activity.cursor = 0;
        self.views.activity.offset = 0;
        true
    }

    /// Rows of the pane body (the screen minus header, tabs and footer).
    pub fn body_rows(&self) -> u16 {
        self.viewport.body_rows()
    }
}
