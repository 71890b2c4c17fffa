//! The Connections pane reads nothing of its own: it groups the sessions every refresh has.

use tokio_postgres::Client;

use crate::collect::pane::{Cx, Read};
use crate::snapshot::{Capabilities, Part};

impl Read for super::Def {
    type Statements = ();
    type Gates = ();

    async fn prepare(_: &Client, _: &Capabilities) {}

    async fn read(_: Cx<'_>, (): &(), (): &mut ()) -> Part<()> {
        None
    }
}
