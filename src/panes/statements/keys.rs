//! The Statements pane's keys: `<` `>` choose the sorted figure, `r` reverses it, `w` cycles
//! interval, 1/5/15 minute windows and cumulative totals; rows are selected by entry; Enter
//! opens the details (reading the full text when the cached one is cut), `e` EXPLAINs the
//! statement, `a` opens its sessions in Activity.

use super::Outcome;
use crate::action::Action;
use crate::effect::{ExplainAsk, Job, StatementExplainRequest, StatementRef};
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
            state.views.statements.observe(&s.read);
        }
    }

    fn rebuild(state: &mut State, focused: bool) {
        if focused {
            state.views.statements.rebuild();
        }
    }

    fn move_by(state: &mut State, delta: isize) {
        state.views.statements.move_by(delta);
    }

    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        let view = &mut state.views.statements;
        match action {
            Action::SortNext | Action::SortPrev => {
                view.sort = view.sort.step(action == Action::SortNext);
                view.ascending = false;
            }
            Action::SortReverse => view.ascending = !view.ascending,
            Action::CycleWaitsWindow => view.mode = view.mode.next(),
            Action::StatementSessions => return Some(sessions(state)),
            Action::Details if view.details => {
                view.details = false;
                view.full = None;
            }
            Action::Details => return Some(open_details(state)),
            Action::Clear if view.details => {
                view.details = false;
                view.full = None;
            }
            Action::Explain => return Some(explain(state)),
            _ => return None,
        }
        view.rebuild();
        Some(Vec::new())
    }
}

/// The selected entry, where the extension lives, and why it cannot be acted on if not: a row
/// summing other roles' hidden statements has no single statement behind it.
fn selected_ref(state: &State) -> Result<(StatementRef, bool), String> {
    let Some(Ok(Outcome::Ready(s))) = state.statements_part() else {
        return Err("no statements read".to_owned());
    };
    let v = &state.views.statements;
    let row = v
        .selected
        .and_then(|k| v.rows.iter().find(|r| r.key == k))
        .ok_or("no statement selected")?;
    if row.hidden > 0 || row.key.queryid.is_none() {
        return Err(format!(
            "this row sums {} statements of other roles (their text and query id are hidden): \
             no single statement; GRANT pg_read_all_stats TO this role to see them",
            row.hidden
        ));
    }
    let whole = row.text.is_some() && !row.cut;
    Ok((
        StatementRef {
            key: row.key,
            features: s.setup.features,
            schema: s.setup.schema.clone(),
        },
        whole,
    ))
}

/// Enter: the details, with the full text read when the cached one is cut or not read yet.
fn open_details(state: &mut State) -> Vec<Effect> {
    let view = &mut state.views.statements;
    if view.selected.is_none() {
        return Vec::new();
    }
    view.details = true;
    view.full = None;
    view.reading = None;
    match selected_ref(state) {
        Ok((statement, false)) => {
            state.views.statements.reading = Some(statement.key);
            vec![Effect::Control(Job::StatementText(statement))]
        }
        _ => Vec::new(),
    }
}

/// `e`: the selected statement planned as its role in its database (the control task reads
/// its full text and decides how, or refuses with the reason).
fn explain(state: &mut State) -> Vec<Effect> {
    if state.read_only {
        state.message = Some("EXPLAIN: disabled (read-only)".to_owned());
        return Vec::new();
    }
    match selected_ref(state) {
        Ok((statement, _)) => crate::update::start_explain(
            state,
            ExplainAsk::Statement(StatementExplainRequest {
                statement,
                consented: false,
            }),
        ),
        Err(why) => {
            state.message = Some(format!("EXPLAIN: {why}"));
            Vec::new()
        }
    }
}

/// `a`: Activity filtered to the selected statement's queryid, or why that cannot work.
fn sessions(state: &mut State) -> Vec<Effect> {
    match qid_filter(state) {
        Ok(text) => {
            let view = &mut state.views.activity;
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
    let key = state.views.statements.selected.ok_or("no statement selected")?;
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
