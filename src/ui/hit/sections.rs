//! Clicks in the panes made of stacked sections (Progress, Replication): the sections are
//! built as for drawing and stacked by the same plan, so a click names the row drawn there.
//! Their tables have no sort; only rows that name something selectable are targets.

use ratatui::layout::Rect;

use super::{Pick, Target, line_in};
use crate::config::theme::Theme;
use crate::state::State;
use crate::state::progress::RowKey as ProgressKey;
use crate::state::replication::RowKey as ReplicationKey;
use crate::ui::panes::{progress, replication};
use crate::ui::table::{Section, plan};

/// The section and row drawn at line `y` of `body`.
fn slot_at(sections: &[Section<'_>], body: Rect, y: u16) -> Option<(usize, usize)> {
    let line = line_in(body, y)?;
    let (section, row) = *plan(sections, usize::from(body.height)).get(line)?;
    Some((section, row?))
}

pub(crate) fn progress_at(state: &State, body: Rect, y: u16) -> Target {
    let Some(p) = state.progress_data() else {
        return Target::Body;
    };
    let sections = progress::sections(p, state, &Theme::default(), body.width);
    let key = match slot_at(&sections, body, y) {
        Some((0, row)) => p
            .ops
            .as_ref()
            .ok()
            .and_then(|o| o.get(row))
            .map(|o| ProgressKey::Op {
                pid: o.pid,
                kind: o.kind,
            }),
        Some((1, row)) => p
            .horizon
            .as_ref()
            .ok()
            .and_then(|h| h.get(row)?.pid)
            .map(|pid| ProgressKey::Holder { pid }),
        _ => None,
    };
    key.map_or(Target::Body, |k| Target::Pick(Pick::Progress(k)))
}

pub(crate) fn replication_at(state: &State, body: Rect, y: u16) -> Target {
    let Some(r) = state
        .shown
        .as_deref()
        .and_then(crate::panes::replication::keys::replication_of)
    else {
        return Target::Body;
    };
    let Some((sections, standby)) = replication::sections(state, &Theme::default(), body.width)
    else {
        return Target::Body;
    };
    // On a standby the receiver and the conflicts come first.
    let first = if standby { 2 } else { 0 };
    let key = slot_at(&sections, body, y).and_then(|(section, row)| {
        match section.checked_sub(first)? {
            0 => r
                .senders
                .as_ref()
                .ok()?
                .get(row)
                .map(|s| ReplicationKey::Sender(s.pid)),
            1 => r
                .slots
                .as_ref()
                .ok()?
                .slots
                .get(row)
                .map(|s| ReplicationKey::Slot(s.name.clone())),
            2 => r
                .subscriptions
                .as_ref()
                .ok()?
                .get(row)
                .map(|s| ReplicationKey::Subscription(s.name.clone())),
            _ => None,
        }
    });
    key.map_or(Target::Body, |k| Target::Pick(Pick::Replication(k)))
}
