//! The operator's actions on backends in normal mode: tagging, choosing targets for a cancel or
//! terminate, opening the details and EXPLAIN, and the control task's results. Pure, like
//! `update`; the keys of the dialogs these open are in `overlays`.

use super::targeting;
use crate::action::Action;
use crate::effect::{DetailsRequest, Done, Effect, ExplainRequest, Job, SignalKind};
use crate::snapshot::{Backend, Micros};
use crate::state::dialog::{Confirm, DetailsView, ExplainView, Pending, ReportView};
use crate::state::{Mode, State};

const READ_ONLY: &str = "disabled (read-only)";

fn backends(state: &State) -> &[Backend] {
    state.backends()
}

/// The server clock of the shown data: ages in dialogs match the table.
fn server_now(state: &State) -> Micros {
    state
        .shown
        .as_deref()
        .and_then(|s| s.activity.as_ref().ok())
        .map_or(state.now, |a| a.now)
}

fn selected(state: &State) -> Option<&Backend> {
    let pid = crate::update::pane::selected_pid(state)?;
    backends(state).iter().find(|b| b.pid == pid)
}

/// Handles the actions that act on backends in normal mode; `None` when `action` is not one.
pub(super) fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    let effects = match action {
        Action::Tag => {
            toggle_tag(state);
            Vec::new()
        }
        Action::TagAllShown => {
            let shown: Vec<(i32, Micros)> = state
                .activity
                .rows
                .iter()
                .filter_map(|&i| backends(state).get(i))
                .filter_map(|b| Some((b.pid, b.backend_start?)))
                .collect();
            state.message = Some(format!("tagged {} backends", shown.len()));
            state.tagged.extend(shown);
            Vec::new()
        }
        Action::UntagAll => {
            state.tagged.clear();
            state.message = Some("no backend tagged".to_owned());
            Vec::new()
        }
        Action::Cancel | Action::Terminate => {
            let chosen = chosen(state);
            request_signal(state, kind_of(action), &chosen)
        }
        Action::Details => open_details(state),
        Action::Explain => request_explain(state),
        Action::CopyQuery => match selected(state).map(|b| b.query.clone()) {
            Some(query) => {
                state.message =
                    Some("query copied (list text; Enter shows the full text)".to_owned());
                vec![Effect::Copy(query)]
            }
            None => Vec::new(),
        },
        _ => return None,
    };
    Some(effects)
}

fn toggle_tag(state: &mut State) {
    let Some((pid, started)) = selected(state).and_then(|b| Some((b.pid, b.backend_start?))) else {
        return;
    };
    if state.tagged.remove(&pid).is_none() {
        state.tagged.insert(pid, started);
    }
}

/// The tagged set, or else the selected backend.
fn chosen(state: &State) -> Vec<(i32, Micros)> {
    if state.tagged.is_empty() {
        selected(state)
            .and_then(|b| Some((b.pid, b.backend_start?)))
            .into_iter()
            .collect()
    } else {
        state
            .tagged
            .iter()
            .map(|(&pid, &started)| (pid, started))
            .collect()
    }
}

pub(super) fn kind_of(action: Action) -> SignalKind {
    if action == Action::Cancel {
        SignalKind::Cancel
    } else {
        SignalKind::Terminate
    }
}

pub(super) fn request_signal(
    state: &mut State,
    kind: SignalKind,
    chosen: &[(i32, Micros)],
) -> Vec<Effect> {
    if state.read_only {
        state.message = Some(format!("{}: {READ_ONLY}", kind.verb()));
        return Vec::new();
    }
    if chosen.is_empty() {
        // Another role's session shows without its start time, so it cannot be identified
        // safely, and signalling it needs a privilege the login lacks anyway.
        let why = if selected(state).is_some_and(crate::slots::is_hidden) {
            "another role's session: requires pg_signal_backend or the same role"
        } else {
            "no backend selected"
        };
        state.message = Some(format!("{}: {why}", kind.verb()));
        return Vec::new();
    }
    let own_pid = state.shown.as_deref().map_or(0, |s| s.caps.own_pid);
    let plan = targeting::plan(kind, chosen, backends(state), own_pid, server_now(state));
    if plan.request.targets.is_empty() {
        let why = plan
            .refused
            .first()
            .map_or_else(String::new, |(pid, r)| format!("pid {pid}: {r}"));
        state.message = Some(format!("{}: nothing to do ({why})", kind.verb()));
        return Vec::new();
    }
    state.mode = Mode::Confirm(Confirm {
        pending: Pending::Signal(plan),
        yes: false,
    });
    Vec::new()
}

fn open_details(state: &mut State) -> Vec<Effect> {
    let Some(b) = selected(state).cloned() else {
        return Vec::new();
    };
    let Some(backend_start) = b.backend_start else {
        state.message = Some("no details for this process".to_owned());
        return Vec::new();
    };
    let job = Job::Details(DetailsRequest {
        pid: b.pid,
        backend_start,
    });
    state.mode = Mode::Details(Box::new(DetailsView {
        backend: b,
        fetched: None,
        formatted: None,
        scroll: 0,
    }));
    vec![Effect::Control(job)]
}

pub(super) fn request_explain(state: &mut State) -> Vec<Effect> {
    if state.read_only {
        state.message = Some(format!("EXPLAIN: {READ_ONLY}"));
        return Vec::new();
    }
    let target = match &state.mode {
        Mode::Details(view) => Some(view.backend.clone()),
        _ => selected(state).cloned(),
    };
    let Some(b) = target else { return Vec::new() };
    let (Some(datname), Some(backend_start)) = (b.datname.clone(), b.backend_start) else {
        state.message = Some("EXPLAIN: this process has no query of a database".to_owned());
        return Vec::new();
    };
    let request = ExplainRequest {
        pid: b.pid,
        backend_start,
        query_start: b.query_start,
        datname,
    };
    let caps = state.shown.as_deref().map(|s| s.caps.clone());
    if let Some(caps) = caps.filter(|c| c.superuser) {
        let warning = format!(
            "EXPLAIN plans as superuser \"{}\". Planning can run functions used in the query \
             (owned by other roles) with your privileges. Plan anyway?",
            caps.login
        );
        state.mode = Mode::Confirm(Confirm {
            pending: Pending::Explain { request, warning },
            yes: false,
        });
        return Vec::new();
    }
    start_explain(state, request)
}

pub(super) fn start_explain(state: &mut State, request: ExplainRequest) -> Vec<Effect> {
    state.mode = Mode::Explain(ExplainView {
        pid: request.pid,
        result: None,
        scroll: 0,
    });
    vec![Effect::Control(Job::Explain(request))]
}

pub(super) fn on_done(state: &mut State, done: Done) {
    match done {
        Done::Signal { report, log_error } => {
            state.message = log_error.as_ref().map(|e| format!("action log: {e}"));
            state.mode = Mode::Report(ReportView { report, log_error });
        }
        Done::Details(details) => {
            if let Mode::Details(view) = &mut state.mode
                && view.backend.pid == details.pid
            {
                view.formatted = details.query.as_deref().map(crate::sqlfmt::layout);
                view.fetched = Some(details);
            }
        }
        Done::Explain(report) => {
            if let Mode::Explain(view) = &mut state.mode
                && view.pid == report.pid
            {
                view.result = Some(report.result);
            }
        }
        Done::ExactSize { relid, result } => {
            state.tables_pane.sizes.insert(relid, result);
        }
        Done::Failed(failure) => {
            state.message = Some(failure.to_string());
            if let Mode::Explain(view) = &mut state.mode
                && view.result.is_none()
            {
                view.result = Some(Err(failure));
            }
        }
    }
}
