//! Clicks in the Replication pane: senders, slots and subscriptions select their row. The
//! sections are planned from their shapes, as drawing plans them; the tables have no sort.

use ratatui::layout::Rect;

use super::layout::{shapes, standby};
use crate::hit::{Hit, Pick, Target};
use crate::layout::slot_at;
use crate::panes::replication::view::RowKey;
use crate::state::State;

impl Hit for super::Def {
    type Key = super::view::RowKey;

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        replication_at(state, body, y)
    }

    fn select(state: &mut State, key: Self::Key) {
        state.views.replication.selected = Some(key);
    }
}

fn replication_at(state: &State, body: Rect, y: u16) -> Target {
    let Some(snapshot) = state.shown.as_deref() else {
        return Target::Body;
    };
    let Some(r) = crate::panes::replication::keys::replication_of(snapshot) else {
        return Target::Body;
    };
    let standby = standby(r, snapshot);
    // On a standby the receiver and the conflicts come first.
    let first = if standby { 2 } else { 0 };
    let key = slot_at(&shapes(r, standby, &state.views.replication), body, y).and_then(
        |(section, row)| match section.checked_sub(first)? {
            0 => r
                .senders
                .as_ref()
                .ok()?
                .get(row)
                .map(|s| RowKey::Sender(s.pid)),
            1 => r
                .slots
                .as_ref()
                .ok()?
                .slots
                .get(row)
                .map(|s| RowKey::Slot(s.name.clone())),
            2 => r
                .subscriptions
                .as_ref()
                .ok()?
                .get(row)
                .map(|s| RowKey::Subscription(s.name.clone())),
            _ => None,
        },
    );
    key.map_or(Target::Body, |k| Target::Pick(Pick::Replication(k)))
}
