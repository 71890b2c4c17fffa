//! The Pooler pane's data in update: a read from the pooler task arriving (rates, saturation,
//! the join to backends), and the pooler's link. Apart from the keys so update can call it
//! without an import cycle through the pane registry.

use std::sync::Arc;

use crate::pooler::{Pooler, join, rates, saturation};
use crate::snapshot::Link;
use crate::state::State;

/// A read from the pooler task; frozen like snapshots while paused.
pub fn on_read(state: &mut State, read: Arc<Pooler>) {
    state.pooler.link = Link::Connected;
    if state.paused {
        return;
    }
    let view = &mut state.pooler;
    view.rates = view
        .latest
        .as_deref()
        .map(|prev| rates::compute(prev, &read))
        .unwrap_or_default();
    view.saturation = Some(saturation::compute(&read));
    view.latest = Some(read);
    rejoin(state);
}

pub fn on_link(state: &mut State, link: Link) {
    state.pooler.link = link;
}

/// Server rows of the read on screen.
pub fn servers(state: &State) -> &[crate::pooler::model::Conn] {
    state
        .pooler
        .latest
        .as_deref()
        .and_then(|p| p.servers.as_ref().ok())
        .map_or(&[], Vec::as_slice)
}

pub fn rejoin(state: &mut State) {
    let activity = state.shown.as_deref().and_then(|s| s.activity.as_ref().ok());
    let joined = join::join(servers(state), activity);
    let n = servers(state).len();
    state.pooler.join = joined;
    state.pooler.selected = state.pooler.selected.min(n.saturating_sub(1));
}

