//! The pure heart of the app: `update(&mut State, Msg) -> Vec<Effect>`. No I/O, no clock reads
//! (time arrives in messages), no tokio — everything here is unit-testable.

mod locks_keys;
pub mod mouse;

use std::sync::Arc;
use std::time::Duration;

use crate::action::Action;
use crate::operate::{self, ConfirmKey};
use crate::ops::{Done, Job};
use crate::rates;
use crate::snapshot::{Link, Micros, Snapshot};
use crate::state::filter::Filter;
use crate::state::{INTERVALS_MS, Mode, Pane, State};

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
    /// A key in the confirmation dialog.
    Confirm(ConfirmKey),
    /// The control task finished a job.
    Done(Done),
    /// The clock moved (drives the STALE marker and ages when no data arrives).
    Tick(Micros),
    Resize(u16, u16),
    /// A click or the wheel (only when mouse reporting is on).
    Mouse(mouse::MouseInput),
    /// A one-line status from the app loop for the footer (e.g. the theme switched to).
    Status(String),
}

/// Work for the outside world, returned by `update` and run by the app loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Quit,
    SetInterval(Duration),
    /// The focused pane changed.
    Focus(Pane),
    /// Work for the control task (signals, details, EXPLAIN).
    Control(Job),
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
    /// Switch to the next theme (themes live in the app loop, not in `State`).
    CycleTheme,
    /// Give the terminal back and stop (Ctrl-Z); redraw fully on resume.
    Suspend,
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
        Msg::Confirm(key) => operate::on_confirm_key(state, key),
        Msg::Done(done) => {
            operate::on_done(state, done);
            Vec::new()
        }
        Msg::Tick(now) => {
            state.now = now;
            Vec::new()
        }
        Msg::Resize(w, h) => {
            state.size = (w, h);
            rebuild(state);
            Vec::new()
        }
        Msg::Mouse(input) => mouse::on_mouse(state, input),
        Msg::Status(text) => {
            state.message = Some(text);
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
    state
        .connections
        .observe(state.latest.as_deref(), &snapshot);
    state.latest = Some(Arc::clone(&snapshot));
    if !state.paused {
        let prev = state.shown.as_deref().and_then(|s| s.progress.as_ref());
        state.progress.update_etas(prev, snapshot.progress.as_ref());
        state.replication.observe(snapshot.replication.as_deref());
        state.shown = Some(snapshot);
        rebuild(state);
    }
}

/// Re-derives every pane's rows from the shown snapshot (after new data or a view change).
fn rebuild(state: &mut State) {
    let page = state.page_rows();
    let snapshot = state.shown.clone();
    let backends = snapshot
        .as_deref()
        .and_then(|s| s.activity.as_ref().ok())
        .map_or(&[][..], |a| a.backends.as_slice());
    state.activity.rebuild(backends, page);
    let locks = snapshot
        .as_deref()
        .and_then(|s| s.locks.as_ref())
        .and_then(|l| l.as_ref().ok());
    let (tree_page, _) = crate::state::locks::split(state.size.1);
    state.locks.rebuild(backends, locks, tree_page);
    // Only when shown: grouping 10,000 sessions is not free. `focus` rebuilds on the way in.
    if state.pane == Pane::Connections {
        let body = state.body_rows();
        state.connections.rebuild(snapshot.as_deref(), body);
    }
    if state.pane == Pane::Waits {
        let waits = snapshot.as_deref().and_then(|s| s.waits.as_deref());
        state.waits.rebuild(backends, waits);
    }
    state
        .progress
        .rebuild(snapshot.as_deref().and_then(|s| s.progress.as_ref()));
    state
        .replication
        .rebuild(snapshot.as_deref().and_then(|s| s.replication.as_deref()));
}

/// Moves the focused pane's selection.
fn move_selection(state: &mut State, delta: isize) {
    match state.pane {
        Pane::Activity => move_activity(state, delta),
        Pane::Locks => locks_keys::move_by(state, delta),
        Pane::Connections => {
            let body = state.body_rows();
            state.connections.move_by(delta, body);
        }
        Pane::Progress => state.progress.move_by(delta),
        Pane::Waits => {
            let snapshot = state.shown.clone();
            let waits = snapshot.as_deref().and_then(|s| s.waits.as_deref());
            state.waits.move_by(delta, waits);
        }
        Pane::Replication => state.replication.move_by(delta),
    }
}

fn move_activity(state: &mut State, delta: isize) {
    let page = state.page_rows();
    let snapshot = state.shown.clone();
    let backends = snapshot
        .as_deref()
        .and_then(|s| s.activity.as_ref().ok())
        .map_or(&[][..], |a| a.backends.as_slice());
    state.activity.move_by(delta, backends, page);
}

fn on_action(state: &mut State, action: Action) -> Vec<Effect> {
    if state.mode == Mode::Help {
        // Any key closes help (q too), so nothing happens behind the overlay.
        state.mode = Mode::Normal;
        return Vec::new();
    }
    if matches!(
        state.mode,
        Mode::Details(_) | Mode::Explain(_) | Mode::Report(_)
    ) {
        return operate::on_overlay_action(state, action);
    }
    // A status message lasts until the next key.
    state.message = None;
    if let Some(effects) = locks_keys::on_action(state, action) {
        return effects;
    }
    // Enter on a group of sessions (Connections, Waits) opens them in Activity; on a backend
    // it opens the details (operate, below).
    if action == Action::Details
        && let Some(drilled) = state.drill_in()
    {
        if !drilled {
            return Vec::new();
        }
        rebuild(state);
        return focus(state, Pane::Activity);
    }
    if let Some(effects) = operate::on_action(state, action) {
        return effects;
    }
    let page = state.page_rows() as isize;
    match action {
        Action::Quit => {
            state.quit = true;
            return vec![Effect::Quit];
        }
        Action::ToggleHelp => state.mode = Mode::Help,
        Action::Down => move_selection(state, 1),
        Action::Up => move_selection(state, -1),
        Action::PageDown => move_selection(state, page.max(1)),
        Action::PageUp => move_selection(state, -page.max(1)),
        Action::Top => move_selection(state, isize::MIN / 2),
        Action::Bottom => move_selection(state, isize::MAX / 2),
        Action::StartFilter => state.mode = Mode::Filter(state.activity.filter.text.clone()),
        Action::Clear => {
            state.activity.filter = Filter::default();
            rebuild(state);
        }
        Action::SortNext | Action::SortPrev if state.pane == Pane::Connections => {
            state.connections.cycle_sort(action == Action::SortNext);
            rebuild(state);
        }
        Action::SortReverse if state.pane == Pane::Connections => {
            state.connections.descending = !state.connections.descending;
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
            state
                .waits
                .cycle_window(snapshot.as_deref().and_then(|s| s.waits.as_deref()));
            rebuild(state);
        }
        Action::NextGrouping => {
            state.connections.next_grouping();
            rebuild(state);
        }
        Action::SortNext | Action::SortPrev => sort_activity(state, action == Action::SortNext),
        Action::SortReverse => {
            state.activity.descending = !state.activity.descending;
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
            state.activity.show_idle = !state.activity.show_idle;
            rebuild(state);
        }
        Action::ToggleBackground => {
            state.activity.show_background = !state.activity.show_background;
            rebuild(state);
        }
        // Handled by `locks_keys::on_action` above.
        Action::RootBlocker | Action::ToggleLockList => {}
        Action::CycleTheme => return vec![Effect::CycleTheme],
        Action::Suspend => return vec![Effect::Suspend],
        Action::NextPane => return focus(state, state.pane.cycle(true)),
        Action::PrevPane => return focus(state, state.pane.cycle(false)),
        Action::Pane(n) => {
            if let Some(pane) = Pane::from_number(n) {
                return focus(state, pane);
            }
        }
        // Acting on backends is `operate`'s, which answered above.
        Action::Tag
        | Action::TagAllShown
        | Action::UntagAll
        | Action::Cancel
        | Action::Terminate
        | Action::Details
        | Action::Explain
        | Action::CopyQuery => {}
    }
    Vec::new()
}

/// Moves the Activity sort to the next (or previous) column shown.
fn sort_activity(state: &mut State, forward: bool) {
    let all = &state.activity.columns;
    if all.is_empty() {
        return;
    }
    let pos = all
        .iter()
        .position(|c| *c == state.activity.sort)
        .unwrap_or(0);
    let next = if forward {
        (pos + 1) % all.len()
    } else {
        (pos + all.len() - 1) % all.len()
    };
    let col = all[next];
    state.activity.sort = col;
    state.activity.descending = col.descending_by_default();
    rebuild(state);
}

/// Switches panes; the collector is told, so it queries what the new pane needs.
fn focus(state: &mut State, pane: Pane) -> Vec<Effect> {
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
            return;
        }
        FilterKey::Esc => {
            state.mode = Mode::Normal;
            state.activity.filter = Filter::default();
            rebuild(state);
            return;
        }
    }
    // The table narrows as the user types.
    state.activity.filter = Filter::parse(text);
    rebuild(state);
}
