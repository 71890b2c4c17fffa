//! The pane's part of a refresh. The `Reader` carries the last reads, the text cache and the
//! pace across refreshes, so it lives in the gates; a new connection (a new token from
//! `prepare`) starts a new one. Read only while the pane is on screen, and only when the pace
//! says a read is due: otherwise the last outcome is shown again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio_postgres::Client;

use super::read::Reader;
use super::{Def, Outcome, Unavailable};
use crate::collect::pane::{Cx, Read};
use crate::snapshot::{Capabilities, Part};

/// Tells connections apart: each `prepare` takes the next number.
static CONNECTIONS: AtomicU64 = AtomicU64::new(1);

/// What lives across refreshes.
#[derive(Default)]
pub struct Gates {
    reader: Reader,
    /// The connection `reader` belongs to.
    connection: u64,
    last: Part<Outcome>,
    /// When the last read ran, and the gap between the two last refreshes (the interval asked).
    read_at: Option<Instant>,
    asked_at: Option<Instant>,
    asked: Duration,
}

impl Read for Def {
    type Statements = u64;
    type Gates = Gates;

    async fn prepare(_client: &Client, _caps: &Capabilities) -> u64 {
        CONNECTIONS.fetch_add(1, Ordering::Relaxed)
    }

    async fn read(cx: Cx<'_>, connection: &u64, gates: &mut Gates) -> Part<Outcome> {
        let now = Instant::now();
        if let Some(at) = gates.asked_at.replace(now) {
            gates.asked = now - at;
        }
        if !cx.focused {
            return None;
        }
        if gates.connection != *connection {
            gates.connection = *connection;
            gates.reader = Reader::new();
            gates.last = None;
            gates.read_at = None;
        }
        if let Some(at) = gates.read_at {
            // A refresh a little early still counts: the gaps jitter around the interval.
            let since = (now - at) + gates.asked / 10;
            if gates.last.is_some() && !gates.reader.due(gates.asked, since) {
                return gates.last.clone();
            }
        }
        gates.read_at = Some(now);
        let part = match gates.reader.refresh(cx.client).await {
            Ok(mut s) => {
                let every = gates.reader.every(gates.asked);
                s.every_ms = u64::try_from(every.as_millis()).unwrap_or(u64::MAX);
                Ok(Outcome::Ready(s))
            }
            Err(Unavailable::Missing(m)) => Ok(Outcome::Missing(m)),
            Err(Unavailable::Error(e)) => Err(e),
        };
        gates.last = Some(part);
        gates.last.clone()
    }
}
