//! The operator's actions on backends in normal mode: tagging, choosing targets for a cancel or
//! terminate, opening the details and EXPLAIN, and the control task's results. Pure, like
//! `update`; the keys of the dialogs these open are in `overlays`.

use super::targeting;
use crate::action::Action;
use crate::effect::{
    DetailsRequest, Done, Effect, ExplainAsk, ExplainReport, ExplainRequest, FullText, Job,
    SignalKind,
};
use crate::snapshot::{Backend, Micros};
use crate::state::dialog::{Confirm, DetailsView, ExplainOf, ExplainView, Pending, ReportView};
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
                .views
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
        Action::CopyQuery => copy_full_text(state),
        _ => return None,
    };
    Some(effects)
}

/// `y`: the list holds only the first characters of each query, so the full text is read for
/// that backend (as the details view does) and copied when it arrives.
fn copy_full_text(state: &mut State) -> Vec<Effect> {
    let Some(b) = selected(state) else {
        return Vec::new();
    };
    let Some(backend_start) = b.backend_start else {
        let query = b.query.clone();
        state.message = Some("query copied (as listed)".to_owned());
        return vec![Effect::Copy(query)];
    };
    let job = Job::CopyText(DetailsRequest {
        pid: b.pid,
        backend_start,
    });
    state.message = Some(format!("copying the query of pid {}…", b.pid));
    vec![Effect::Control(job)]
}

/// The full text arrived: copy it. When it could not be read, the list's text is copied if the
/// backend is still listed, and the message says which one the clipboard got.
fn on_full_text(state: &mut State, full: FullText) -> Vec<Effect> {
    match full.text {
        Ok(text) => {
            let chars = text.chars().count();
            let cut = if full.truncated {
                ", cut by the server at track_activity_query_size"
            } else {
                ""
            };
            state.message = Some(format!(
                "query copied: pid {}, {chars} characters{cut}",
                full.pid
            ));
            vec![Effect::Copy(text)]
        }
        Err(why) => {
            if let Some(b) = backends(state).iter().find(|b| b.pid == full.pid) {
                let listed = b.query.clone();
                state.message = Some(format!(
                    "full text not read ({why}); copied the query as listed"
                ));
                vec![Effect::Copy(listed)]
            } else {
                state.message = Some(format!("nothing copied: {why}"));
                Vec::new()
            }
        }
    }
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
    // Sessions chosen by their transaction's age: the terminate is pinned to that transaction.
    let by_xact = state.views.activity.filter.selects_on_xact()
        || (state.pane == crate::panes::Pane::Activity
            && state.views.activity.sort == crate::panes::activity::columns::Column::XactAge);
    let plan = targeting::plan_with(
        kind,
        chosen,
        backends(state),
        own_pid,
        server_now(state),
        by_xact,
    );
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
        consented: false,
    };
    // Whose privileges planning may use is settled on the server; it may come back as a question.
    start_explain(state, ExplainAsk::Backend(request))
}

pub(crate) fn start_explain(state: &mut State, request: ExplainAsk) -> Vec<Effect> {
    state.mode = Mode::Explain(ExplainView {
        of: ExplainOf::of(&request),
        request: Some(request.clone()),
        result: None,
        scroll: 0,
    });
    let job = match request {
        ExplainAsk::Backend(r) => Job::Explain(r),
        ExplainAsk::Statement(r) => Job::ExplainStatement(r),
    };
    vec![Effect::Control(job)]
}

/// A plan or a question arrived for `of`: shown in the EXPLAIN view that asked for it, or the
/// question asked (with consent prepared) when planning needs the operator's yes.
fn on_explain(
    state: &mut State,
    of: ExplainOf,
    result: Result<Vec<String>, crate::failure::Failure>,
    ask: Option<String>,
) {
    if let Mode::Explain(view) = &mut state.mode
        && view.of == of
    {
        match (ask, view.request.clone()) {
            (Some(warning), Some(request)) => {
                state.mode = Mode::Confirm(Confirm {
                    pending: Pending::Explain {
                        request: request.consented(),
                        warning,
                    },
                    yes: false,
                });
            }
            _ => view.result = Some(result),
        }
    }
}

pub(super) fn on_done(state: &mut State, done: Done) -> Vec<Effect> {
    match done {
        Done::CopyText(full) => return on_full_text(state, full),
        Done::Signal { report, log_error } => {
            state.message = log_error.as_ref().map(|e| format!("action log: {e}"));
            state.mode = Mode::Report(ReportView {
                report,
                log_error,
                scroll: 0,
            });
        }
        Done::Details(details) => {
            if let Mode::Details(view) = &mut state.mode
                && view.backend.pid == details.pid
            {
                view.formatted = details.query.as_deref().map(crate::sqlfmt::layout);
                view.fetched = Some(details);
            }
        }
        Done::Explain(ExplainReport { pid, result, ask }) => {
            on_explain(state, ExplainOf::Pid(pid), result, ask);
        }
        Done::ExplainStatement(r) => {
            on_explain(state, ExplainOf::Statement(r.key), r.result, r.ask);
        }
        Done::StatementText(text) => state.views.statements.on_full_text(text),
        Done::ExactSize {
            relid,
            datname,
            result,
        } => {
            // An answer about the database the pane showed before a switch is not about these
            // tables.
            if datname == state.views.tables.database {
                state.views.tables.sizes.insert(relid, result);
            }
        }
        Done::Notice(text) => state.message = Some(text),
        Done::Failed(failure) => {
            state.message = Some(failure.to_string());
            if let Mode::Explain(view) = &mut state.mode
                && view.result.is_none()
            {
                view.result = Some(Err(failure));
            }
        }
    }
    Vec::new()
}
