//! Clicks in the Pooler pane: a pool, server or client row selects it. The sections are
//! planned from their shapes, as drawing plans them.

use ratatui::layout::Rect;

use super::layout::{CLIENTS, POOLS, SERVERS, shapes};
use super::view::RowKey;
use crate::hit::{Hit, Pick, Target};
use crate::layout::slot_at;
use crate::state::State;

impl Hit for super::Def {
    type Key = RowKey;

    fn at(state: &State, body: Rect, _x: u16, y: u16) -> Target {
        let v = &state.views.pooler;
        let Some((section, row)) = slot_at(&shapes(state), body, y) else {
            return Target::Body;
        };
        let [pools, servers, clients] = v.starts();
        let index = match section {
            POOLS => pools + row,
            SERVERS => servers + row,
            CLIENTS => clients + row,
            _ => return Target::Body,
        };
        // A row past its list (an error or "none" line) is no row.
        let end = match section {
            POOLS => servers,
            SERVERS => clients,
            _ => v.rows.len(),
        };
        let index = (index < end).then_some(index);
        index
            .and_then(|i| v.rows.get(i).cloned())
            .map_or(Target::Body, |k| Target::Pick(Pick::Pooler(k)))
    }

    fn select(state: &mut State, key: RowKey) {
        state.views.pooler.select(key);
    }
}
