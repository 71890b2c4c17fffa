//! Demo load for the Waits pane's history: frequent 20 ms lookups that no one-second refresh
//! catches, sorts that spill to temp files (IO waits), and sessions queuing on an advisory lock
//! (Lock waits). Each loop reconnects after a pause when its session drops.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::sleep;

use super::cluster::Endpoint;
use super::schema::DB;

const RETRY: Duration = Duration::from_secs(2);

/// A statement taking about 20 ms, run every ~120 ms by each of two sessions.
const SHORT: &str =
    "SELECT count(*) FROM accounts WHERE (SELECT pg_sleep(0.02)) IS NOT NULL AND id < 100";
/// A sort too big for its work_mem: it writes and reads temp files.
const SPILL: &str = "SET work_mem = '64kB'; \
     SELECT g FROM generate_series(1, 200000) g ORDER BY g DESC LIMIT 1; RESET work_mem";
/// Held for 300 ms by whichever of three sessions gets it; the others wait in Lock:advisory.
const QUEUE: &str = "BEGIN; SELECT pg_advisory_xact_lock(7001), pg_sleep(0.3); COMMIT";

pub(crate) fn spawn_demo(ep: &Endpoint) -> Vec<JoinHandle<()>> {
    let mut tasks = Vec::new();
    for _ in 0..2 {
        tasks.push(tokio::spawn(repeat(ep.clone(), "checkout", SHORT, 100)));
    }
    tasks.push(tokio::spawn(repeat(ep.clone(), "metabase", SPILL, 700)));
    for _ in 0..3 {
        tasks.push(tokio::spawn(repeat(ep.clone(), "ledger-sync", QUEUE, 150)));
    }
    tasks
}

async fn repeat(ep: Endpoint, app: &'static str, sql: &'static str, pause_ms: u64) {
    loop {
        if let Ok(client) = ep.connect(DB, "app_rw", app).await {
            while !client.is_closed() {
                if client.batch_execute(sql).await.is_err() {
                    let _ = client.batch_execute("ROLLBACK").await;
                }
                sleep(Duration::from_millis(pause_ms)).await;
            }
        }
        sleep(RETRY).await;
    }
}
