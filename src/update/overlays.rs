//! The first stage of the key dispatch: whatever takes the keyboard (help, the details and
//! EXPLAIN views, the report of an action, the confirmation dialog) answers before any pane.

use super::ConfirmKey;
use super::actions::{kind_of, request_explain, request_signal, start_explain};
use crate::action::Action;
use crate::effect::{Effect, ExplainAsk, Job};
use crate::snapshot::Micros;
use crate::state::dialog::{ExplainView, Pending, Plan};
use crate::state::{Mode, State};

/// An action while a mode other than normal has the keyboard; `None` in normal mode, where
/// the pane and then the global keys answer.
pub(super) fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    match &state.mode {
        Mode::Normal => None,
        Mode::Help(_) => {
            // Nothing happens behind the overlay; a key it has no use for closes it (q too).
            super::help::on_action(state, action);
            Some(Vec::new())
        }
        Mode::Report(_) if !is_scroll(action) => {
            // A report closes on any key, and the key still does its work (`q` after a
            // terminate quits): the outcome is on screen until then, not in the key's way.
            state.mode = Mode::Normal;
            match action {
                Action::Clear | Action::Details => Some(Vec::new()),
                _ => None,
            }
        }
        Mode::Details(_) | Mode::Explain(_) | Mode::Report(_) => {
            Some(on_overlay_action(state, action))
        }
        // Their keys arrive as `FilterKey` and `ConfirmKey`; an action there does nothing.
        Mode::Filter(_) | Mode::Confirm(_) => Some(Vec::new()),
    }
}

pub(super) fn on_confirm_key(state: &mut State, key: ConfirmKey) -> Vec<Effect> {
    let Mode::Confirm(confirm) = &mut state.mode else {
        return Vec::new();
    };
    // The EXPLAIN question has no highlight to move: only y plans, Enter and Esc say no.
    let explain = matches!(confirm.pending, Pending::Explain { .. });
    let go = match key {
        ConfirmKey::Toggle if explain => return Vec::new(),
        ConfirmKey::Toggle => {
            confirm.yes = !confirm.yes;
            return Vec::new();
        }
        ConfirmKey::Yes => true,
        ConfirmKey::No => false,
        ConfirmKey::Enter => confirm.yes && !explain,
    };
    let Mode::Confirm(confirm) = std::mem::take(&mut state.mode) else {
        return Vec::new();
    };
    if !go {
        state.message = Some("nothing done".to_owned());
        return Vec::new();
    }
    match confirm.pending {
        Pending::Signal(Plan { request, .. }) => {
            state.message = Some(format!(
                "{}: {} backend(s)…",
                request.kind.verb(),
                request.targets.len()
            ));
            state.tagged.clear();
            vec![Effect::Control(Job::Signal(request))]
        }
        Pending::Explain { request, .. } => start_explain(state, request),
    }
}

/// Keys that scroll an overlay.
fn is_scroll(action: Action) -> bool {
    matches!(
        action,
        Action::Down | Action::Up | Action::PageDown | Action::PageUp | Action::Top
    )
}

/// Keys while an overlay (details, EXPLAIN, report) is open.
pub(super) fn on_overlay_action(state: &mut State, action: Action) -> Vec<Effect> {
    let page = state.page_rows();
    let scroll = match &mut state.mode {
        Mode::Details(view) => &mut view.scroll,
        Mode::Explain(view) => &mut view.scroll,
        Mode::Report(view) => &mut view.scroll,
        _ => return Vec::new(),
    };
    match action {
        Action::Down => *scroll += 1,
        Action::Up => *scroll = scroll.saturating_sub(1),
        Action::PageDown => *scroll += page,
        Action::PageUp => *scroll = scroll.saturating_sub(page),
        Action::Top => *scroll = 0,
        Action::CopyQuery => return copy_details(state),
        Action::Explain => {
            // Again for the same statement; a backend's view plans the selected backend's query.
            if let Mode::Explain(ExplainView {
                request: Some(ExplainAsk::Statement(r)),
                ..
            }) = &state.mode
            {
                let mut again = r.clone();
                again.consented = false;
                return start_explain(state, ExplainAsk::Statement(again));
            }
            return request_explain(state);
        }
        Action::Cancel | Action::Terminate => {
            let Mode::Details(view) = &state.mode else {
                return Vec::new();
            };
            // From the details view the action is for this backend only, tags or not.
            let chosen: Vec<(i32, Micros)> = view
                .backend
                .backend_start
                .map(|s| (view.backend.pid, s))
                .into_iter()
                .collect();
            state.mode = Mode::Normal;
            return request_signal(state, kind_of(action), &chosen);
        }
        Action::Clear | Action::Quit | Action::Details => state.mode = Mode::Normal,
        _ => {}
    }
    Vec::new()
}

fn copy_details(state: &mut State) -> Vec<Effect> {
    let Mode::Details(view) = &state.mode else {
        return Vec::new();
    };
    let text = view
        .fetched
        .as_ref()
        .and_then(|d| d.query.clone())
        .unwrap_or_else(|| view.backend.query.clone());
    state.message = Some("query copied to the clipboard (OSC 52)".to_owned());
    vec![Effect::Copy(text)]
}
