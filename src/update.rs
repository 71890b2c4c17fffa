//! The pure heart of the app: `update(&mut State, Msg) -> Vec<Effect>`. No I/O, no clock reads
//! (time arrives in messages), no tokio — everything here is unit-testable.

//!
//! An action is answered by one dispatch, in order: the mode that has the keyboard (help, an
//! overlay, a dialog: `overlays`), then the focused pane, then the global keys.

mod actions;
pub mod help;
pub mod mouse;
mod overlays;
pub mod pane;
pub mod targeting;

use std::sync::Arc;
use std::time::Duration;

use crate::action::Action;
use crate::effect::Done;
pub use crate::effect::Effect;
use crate::rates;
use crate::snapshot::{Link, Micros, Snapshot};
use crate::state::filter::Filter;
use crate::state::{INTERVALS_MS, Mode, Pane, State};
pub(crate) use actions::start_explain;

/// Answers in the confirmation dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmKey {
    Yes,
    No,
    Toggle,
    Enter,
}

/// Keys while typing a filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKey {
    Char(char),
    Backspace,
    Enter,
    Esc,
}

#[derive(Debug, Clone)]
pub enum Msg {
    Action(Action),
    FilterKey(FilterKey),
    Snapshot {
        snapshot: Arc<Snapshot>,
        now: Micros,
    },
    Link {
        link: Link,
        now: Micros,
    },
    /// A key while the help overlay's search is typed.
    HelpSearch(FilterKey),
    /// A key in the confirmation dialog.
    Confirm(ConfirmKey),
    /// The control task finished a job.
    Done(Done),
    /// The clock moved (drives the STALE marker and ages when no data arrives).
    Tick(Micros),
    Resize(u16, u16),
    /// A click or the wheel (only when mouse reporting is on).
    Mouse(mouse::MouseInput),
    /// A read from the pooler task.
    Pooler(Arc<crate::pooler::Pooler>),
    PoolerLink(Link),
    /// A one-line status from the app loop for the footer (e.g. the theme switched to).
    Status(String),
    /// The local UTC offset in seconds, when it differs from the one shown (a daylight-saving
    /// change, a new time zone): read by the app loop with the clock, never here.
    UtcOffset(i32),
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Action(action) => on_action(state, action),
        Msg::FilterKey(key) => {
            on_filter_key(state, key);
            Vec::new()
        }
        Msg::Snapshot { snapshot, now } => {
            state.now = now;
            on_snapshot(state, snapshot);
            Vec::new()
        }
        Msg::Link { link, now } => {
            state.now = now;
            state.link = link;
            Vec::new()
        }
        Msg::HelpSearch(key) => {
            help::on_search_key(state, key);
            Vec::new()
        }
        Msg::Confirm(key) => overlays::on_confirm_key(state, key),
        Msg::Done(done) => actions::on_done(state, done),
        Msg::Tick(now) => {
            state.now = now;
            Vec::new()
        }
        Msg::Resize(w, h) => {
            state.viewport = crate::layout::Viewport::new(w, h);
            rebuild(state);
            Vec::new()
        }
        Msg::Mouse(input) => mouse::on_mouse(state, input),
        Msg::Pooler(read) => {
            crate::panes::pooler::feed::on_read(state, read);
            Vec::new()
        }
        Msg::PoolerLink(link) => {
            crate::panes::pooler::feed::on_link(state, link);
            Vec::new()
        }
        Msg::Status(text) => {
            state.message = Some(text);
            Vec::new()
        }
        Msg::UtcOffset(offset) => {
            state.utc_offset = offset;
            Vec::new()
        }
    }
}

fn on_snapshot(state: &mut State, snapshot: Arc<Snapshot>) {
    // Data only comes over a working connection.
    state.link = Link::Connected;
    if let Ok(cur) = &snapshot.server {
        // Fresh only when the sessions came too: the header's counts and every pane use them.
        if snapshot.activity.is_ok() {
            state.last_good = Some(snapshot.taken_at);
        }
        let prev = state.latest.as_deref().and_then(|p| p.server.as_ref().ok());
        state.rates = prev.and_then(|p| rates::compute(p, cur));
    }
    pane::on_snapshot(state, &snapshot, !state.paused);
    state.latest = Some(Arc::clone(&snapshot));
    if !state.paused {
        state.shown = Some(snapshot);
        rebuild(state);
    }
}

/// Re-derives every pane's rows from the shown snapshot (after new data or a view change).
pub(crate) fn rebuild(state: &mut State) {
    pane::rebuild(state);
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(effects) = overlays::on_action(state, action) {
        return effects;
    }
    // A status message lasts until the next key.
    state.message = None;
    if let Some(effects) = on_pane_action(state, action) {
        return effects;
    }
    on_global_action(state, action)
}

/// The second stage: keys whose meaning depends on the focused pane (its own keys, then Enter on
/// a group of sessions, which opens them in Activity). `None` passes the action on to the global
/// keys.
fn on_pane_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
    if let Some(effects) = pane::on_action(state, action) {
        return Some(effects);
    }
    // On a backend, Enter opens the details (a global key).
    if action == Action::Details {
        let drilled = pane::drill_in(state)?;
        if !drilled {
            return Some(Vec::new());
        }
        rebuild(state);
        return Some(focus(state, Pane::Activity));
    }
    None
}

/// The last stage: keys that mean the same in every pane.
fn on_global_action(state: &mut State, action: Action) -> Vec<Effect> {
    if let Some(effects) = actions::on_action(state, action) {
        return effects;
    }
    if let Some(request) = crate::panes::locks::keys::on_global_action(state, action) {
        return apply(state, request);
    }
    let page = state.page_rows() as isize;
    match action {
        Action::Quit => return vec![Effect::Quit],
        Action::ToggleHelp => help::open(state),
        Action::Down => pane::move_by(state, 1),
        Action::Up => pane::move_by(state, -1),
        Action::PageDown => pane::move_by(state, page.max(1)),
        Action::PageUp => pane::move_by(state, -page.max(1)),
        Action::Top => pane::move_by(state, isize::MIN / 2),
        Action::Bottom => pane::move_by(state, isize::MAX / 2),
        Action::StartFilter => state.mode = Mode::Filter(state.views.activity.filter.text.clone()),
        Action::Clear => {
            state.views.activity.filter = Filter::default();
            rebuild(state);
        }
        Action::ShowHorizonHolder => {
            if state.select_horizon_culprit() {
                rebuild(state);
                return focus(state, Pane::Activity);
            }
        }
        Action::CycleWaitsWindow => {
            let snapshot = state.shown.clone();
            state.views.waits.cycle_window(
                snapshot
                    .as_deref()
                    .and_then(crate::panes::waits::keys::waits_of),
            );
            rebuild(state);
        }
        Action::NextGrouping => {
            state.views.connections.next_grouping();
            rebuild(state);
        }
        Action::SortNext | Action::SortPrev => sort_activity(state, action == Action::SortNext),
        Action::SortReverse => {
            state.views.activity.descending = !state.views.activity.descending;
            rebuild(state);
        }
        Action::TogglePause => {
            state.paused = !state.paused;
            if !state.paused && state.latest.is_some() {
                state.shown.clone_from(&state.latest);
                rebuild(state);
            }
        }
        Action::FasterRefresh | Action::SlowerRefresh => {
            return change_interval(state, action == Action::FasterRefresh);
        }
        Action::ToggleIdle => {
            state.views.activity.show_idle = !state.views.activity.show_idle;
            rebuild(state);
        }
        Action::ToggleBackground => {
            state.views.activity.show_background = !state.views.activity.show_background;
            rebuild(state);
        }
        // Handled by the Locks pane's keys above.
        Action::RootBlocker | Action::ToggleLockList | Action::StatementSessions => {}
        Action::CycleTheme => return vec![Effect::CycleTheme],
        Action::Suspend => return vec![Effect::Suspend],
        Action::NextPane | Action::PrevPane => {
            let forward = action == Action::NextPane;
            let mut next = state.pane.cycle(forward);
            // Without a pooler its pane is not in the Tab order.
            if next == Pane::Pooler && !state.views.pooler.configured {
                next = next.cycle(forward);
            }
            // Watching a pooler alone, the other panes have nothing to show.
            if state.views.pooler.only {
                next = Pane::Pooler;
            }
            return focus(state, next);
        }
        Action::Pane(n) => {
            if let Some(pane) = Pane::from_number(n) {
                return focus(state, pane);
            }
        }
        // Acting on backends is `actions`', which answered above.
        Action::Tag
        | Action::TagAllShown
        | Action::UntagAll
        | Action::Cancel
        | Action::Terminate
        | Action::Details
        | Action::Explain
        | Action::CopyQuery
        | Action::ExactSize
        | Action::NextDatabase => {}
    }
    Vec::new()
}

/// Moves the Activity sort to the next (or previous) column shown.
fn sort_activity(state: &mut State, forward: bool) {
    let all = &state.views.activity.columns;
    if all.is_empty() {
        return;
    }
    let pos = all
        .iter()
        .position(|c| *c == state.views.activity.sort)
        .unwrap_or(0);
    let next = if forward {
        (pos + 1) % all.len()
    } else {
        (pos + all.len() - 1) % all.len()
    };
    let col = all[next];
    state.views.activity.sort = col;
    state.views.activity.descending = col.descending_by_default();
    rebuild(state);
}

/// Carries out what a pane's key asked for.
fn apply(state: &mut State, request: pane::Request) -> Vec<Effect> {
    match request {
        pane::Request::Done => Vec::new(),
        pane::Request::Rebuild => {
            rebuild(state);
            Vec::new()
        }
        pane::Request::Focus(pane) => focus(state, pane),
    }
}

/// Switches panes; the collector is told, so it queries what the new pane needs.
pub(crate) fn focus(state: &mut State, pane: Pane) -> Vec<Effect> {
    if state.pane == pane {
        return Vec::new();
    }
    state.pane = pane;
    rebuild(state);
    vec![Effect::Focus(pane)]
}

fn change_interval(state: &mut State, faster: bool) -> Vec<Effect> {
    let cur = state.interval.as_millis() as u64;
    let next = if faster {
        INTERVALS_MS.iter().rev().find(|&&ms| ms < cur)
    } else {
        INTERVALS_MS.iter().find(|&&ms| ms > cur)
    };
    match next {
        Some(&ms) => {
            state.interval = Duration::from_millis(ms);
            vec![Effect::SetInterval(state.interval)]
        }
        None => Vec::new(),
    }
}

fn on_filter_key(state: &mut State, key: FilterKey) {
    let Mode::Filter(text) = &mut state.mode else {
        return;
    };
    match key {
        FilterKey::Char(c) => text.push(c),
        FilterKey::Backspace => {
            text.pop();
        }
        FilterKey::Enter => {
            state.mode = Mode::Normal;
            if let Some(why) = state.views.activity.filter.problem() {
                state.message = Some(why.to_owned());
            }
            return;
        }
        FilterKey::Esc => {
            state.mode = Mode::Normal;
            match state.pane {
                Pane::Settings => state.views.settings.search.clear(),
                _ => state.views.activity.filter = Filter::default(),
            }
            rebuild(state);
            return;
        }
    }
    // The table narrows as the user types; Settings has a search of its own.
    match state.pane {
        Pane::Settings => state.views.settings.search = text.clone(),
        _ => state.views.activity.filter = Filter::parse(text),
    }
    rebuild(state);
}
