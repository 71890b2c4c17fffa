//! The Pooler pane (`P`): a PgBouncer's pools, saturation, server connections joined to their
//! PostgreSQL backends, and clients. Its data comes from the pooler task (src/pooler/task.rs),
//! not from the database collector: the pane reads nothing in a database refresh.

pub mod export;
pub mod draw;
pub mod feed;
pub mod keys;
pub mod view;

/// The pane in the registry.
pub struct Def;

impl crate::snapshot::base::PaneData for Def {
    type Part = ();
}

impl crate::collect::pane::Read for Def {
    type Statements = ();
    type Gates = ();

    async fn prepare(
        _client: &tokio_postgres::Client,
        _caps: &crate::snapshot::Capabilities,
    ) -> Self::Statements {
    }

    async fn read(
        _cx: crate::collect::pane::Cx<'_>,
        _st: &Self::Statements,
        _gates: &mut Self::Gates,
    ) -> crate::snapshot::Part<()> {
        None
    }
}

impl crate::hit::Hit for Def {
    type Key = usize;

    fn at(
        _state: &crate::state::State,
        _body: ratatui::layout::Rect,
        _x: u16,
        _y: u16,
    ) -> crate::hit::Target {
        crate::hit::Target::Body
    }

    fn select(state: &mut crate::state::State, key: usize) {
        state.pooler.selected = key;
    }
}
