//! The Waits pane runs no query of its own at refresh time: the wait sampler (`collect::sampler`)
//! samples between refreshes and records each refresh's sessions; while the pane is on screen,
//! each refresh carries the sampler's history, summarized.

use tokio_postgres::Client;

use tokio_postgres::Statement;

use crate::collect::pane::{After, Cx, Read};
use crate::collect::rows::pane_error;
use crate::collect::sql::{self, Since};
use crate::panes::waits::data::Waits;
use crate::snapshot::{Capabilities, PaneError, Part};

/// The sampler's statement: the sessions busy now, with their query_id from 14 on.
const SAMPLE: &str = include_str!("sql/sample.sql");
const QUERY_ID: [Since; 2] = [(120_000, "NULL::int8 AS query_id"), (140_000, "a.query_id")];

pub fn sample_sql(version_num: i32) -> String {
    sql::fill(SAMPLE, &[("query_id", sql::one(version_num, &QUERY_ID))])
}

/// Prepared once per connection; a failure shows in the pane, not as a failed session.
pub async fn prepare_sample(client: &Client, version_num: i32) -> Result<Statement, PaneError> {
    client
        .prepare(&sample_sql(version_num))
        .await
        .map_err(|e| pane_error(&e))
}

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
