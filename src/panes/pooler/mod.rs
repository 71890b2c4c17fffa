//! The Pooler pane (`P`): a PgBouncer's pools, saturation, server connections joined to their
//! PostgreSQL backends, and clients. Its data comes from the pooler task (src/pooler/task.rs),
//! not from the database collector: the pane reads nothing in a database refresh.

pub mod export;
pub mod columns;
pub mod draw;
pub mod draw_conns;
pub mod draw_shared;
pub mod draw_status;
pub mod feed;
pub mod hit;
pub mod keys;
pub mod layout;
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
