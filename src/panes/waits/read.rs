//! The Waits pane runs no query of its own at refresh time: the wait sampler (`collect::sampler`)
//! samples between refreshes and records each refresh's sessions; while the pane is on screen,
//! each refresh carries the sampler's history, summarized.

use tokio_postgres::Client;

use crate::collect::pane::{After, Cx, Read};
use crate::snapshot::waits::Waits;
use crate::snapshot::{Capabilities, Part};

impl Read for super::Def {
    type Statements = ();
    type Gates = ();

    async fn prepare(_: &Client, _: &Capabilities) {}

    async fn read(_: Cx<'_>, (): &(), (): &mut ()) -> Part<Box<Waits>> {
        None
    }

    fn after(cx: &After<'_>, part: &mut Part<Box<Waits>>) {
        if cx.focused {
            let now = cx.taken_at.div_euclid(1_000_000);
            *part = Some(Ok(Box::new(cx.sampler.summary(cx.caps, now))));
        }
    }
}
