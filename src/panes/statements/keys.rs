//! The Statements pane's keys: `<` `>` choose the sorted figure, `r` reverses it, `w` cycles
//! interval, 1/5/15 minute windows and cumulative totals; rows are selected by entry.

use super::Outcome;
use crate::action::Action;
use crate::panes::Pane;
use crate::state::filter::Filter;
use crate::snapshot::{PaneError, Snapshot};
use crate::state::State;
use crate::update::Effect;
use crate::update::pane::{Hint, Keys};

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::CycleWaitsWindow, "span"),
        (Action::StatementSessions, "sessions"),
        (Action::Details, "details"),
        (Action::SortNext, "sort"),
        (Action::SortReverse, "reverse"),
    ];

    /// Rates come from consecutive reads: every new read is observed, shown or not.
    fn on_snapshot(state: &mut State, new: &Snapshot, _showing: bool) {
        if let Some(Ok(Outcome::Ready(s))) = &new.panes.statements {
            state.statements.observe(&s.read);
        }
    }

    fn rebuild(state: &mut State, focused: bool) {
        if focused {
            state.statements.rebuild();
        }
    }

    fn move_by(state: &mut State, delta: isize) {
        state.statements.move_by(delta);
    }

    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        if action == Action::Explain {
            // Said rather than silently ignored: the statement path to EXPLAIN is not built.
            state.message = Some("EXPLAIN of a pg_stat_statements entry is not available yet: use e on its session in Activity (a)".to_owned());
            return Some(Vec::new());
        }
        let view = &mut state.statements;
        match action {
            Action::SortNext | Action::SortPrev => {
                view.sort = view.sort.step(action == Action::SortNext);
                view.ascending = false;
            }
            Action::SortReverse => view.ascending = !view.ascending,
            Action::CycleWaitsWindow => view.mode = view.mode.next(),
            Action::StatementSessions => return Some(sessions(state)),
            Action::Details => view.details = !view.details && view.selected.is_some(),
            Action::Clear if view.details => view.details = false,
            _ => return None,
        }
        view.rebuild();
        Some(Vec::new())
    }
}

/// `a`: Activity filtered to the selected statement's queryid, or why that cannot work.
fn sessions(state: &mut State) -> Vec<Effect> {
    match qid_filter(state) {
        Ok(text) => {
            let view = &mut state.activity;
            view.filter = Filter::parse(&text);
            view.show_idle = true;
            view.show_background = true;
            view.selected = None;
            view.cursor = 0;
            view.offset = 0;
            state.message = None;
            crate::update::focus(state, Pane::Activity)
        }
        Err(why) => {
            state.message = Some(why.to_owned());
            Vec::new()
        }
    }
}

/// The `qid:` filter for the selected statement.
fn qid_filter(state: &State) -> Result<String, &'static str> {
    let Some(Ok(Outcome::Ready(s))) = state.statements_part() else {
        return Err("no statements to show sessions of");
    };
    let key = state.statements.selected.ok_or("no statement selected")?;
    let version = state.shown.as_deref().map_or(0, |s| s.caps.version_num);
    if version < 140_000 {
        return Err("sessions show their query id from PostgreSQL 14 on");
    }
    if s.setup.compute_query_id.as_deref() == Some("off") {
        return Err("compute_query_id is off: sessions carry no query id to match");
    }
    let id = key
        .queryid
        .ok_or("other roles' statements have no query id without pg_read_all_stats")?;
    Ok(format!("qid:{id}"))
}

impl State {
    /// The pane's part of the shown snapshot: `None` before it was read.
    pub fn statements_part(&self) -> Option<&Result<Outcome, PaneError>> {
        self.shown.as_deref()?.panes.statements.as_ref()
    }
}
