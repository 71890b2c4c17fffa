//! Clicks in the Replication pane: the sections are built as for drawing and stacked by the
//! same plan, so a click names the row drawn there. Senders, slots and subscriptions are
//! selectable; the tables have no sort.
//!
//! Unlike the other panes, the sections' shapes still come from the draw code's section
//! builders (their line counts depend on receiver details and grant hints): the one place
//! where hit-testing reads drawing code.

use ratatui::layout::Rect;

use crate::config::theme::Theme;
use crate::hit::{Hit, Pick, Target};
use crate::layout::slot_at;
use crate::state::State;
use crate::panes::replication::view::RowKey as ReplicationKey;
use super::draw as replication;
use crate::ui::table::shapes;

impl Hit for super::Def {
    type Key = super::view::RowKey;

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        replication_at(state, body, y)
    }

    fn select(state: &mut State, key: Self::Key) {
        state.replication.selected = Some(key);
    }
}

fn replication_at(state: &State, body: Rect, y: u16) -> Target {
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
    let key = slot_at(&shapes(&sections), body, y).and_then(|(section, row)| {
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
