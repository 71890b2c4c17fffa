//! The Pooler pane's data in update: a read from the pooler task arriving (rates, saturation,
//! the pairing and the join to backends), and the pooler's link. Apart from the keys so update
//! can call it without an import cycle through the pane registry.

use std::sync::Arc;

use crate::pooler::{Pooler, join, link, rates, saturation};
use crate::snapshot::Link;
use crate::state::State;

/// A read from the pooler task; frozen like snapshots while paused (its age still counts).
pub fn on_read(state: &mut State, read: Arc<Pooler>) {
    state.views.pooler.link = Link::Connected;
    state.views.pooler.last_read = Some(read.read_at);
    if state.paused {
        return;
    }
    let view = &mut state.views.pooler;
    view.rates = view
        .latest
        .as_deref()
        .map(|prev| rates::compute(prev, &read))
        .unwrap_or_default();
    view.saturation = Some(saturation::compute(&read));
    view.links = link::pair(
        read.clients.as_deref().unwrap_or_default(),
        read.servers.as_deref().unwrap_or_default(),
    );
    view.latest = Some(read);
    rejoin(state);
}

pub fn on_link(state: &mut State, link: Link) {
    state.views.pooler.link = link;
}

/// Server rows of the read on screen.
pub fn servers(state: &State) -> &[crate::pooler::model::Conn] {
    state
        .views
        .pooler
        .latest
        .as_deref()
        .and_then(|p| p.servers.as_ref().ok())
        .map_or(&[], Vec::as_slice)
}

/// Joins the server rows to the shown Activity snapshot and re-anchors the selection.
pub fn rejoin(state: &mut State) {
    let activity = state.shown.as_deref().and_then(|s| s.activity.as_ref().ok());
    let joined = join::join(servers(state), activity);
    state.views.pooler.join = joined;
    state.views.pooler.rebuild();
}
