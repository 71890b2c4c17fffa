//! An application that reaches the database through PgBouncer: more clients than the pool has
//! server connections, each running short transactions, so clients queue in the pooler while
//! the database looks calm. Used by `pgscope demo`.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::sleep;
use tokio_postgres::NoTls;

use super::schema::DB;
use super::sessions::MAX_CHAIN_DEPTH;

const RETRY: Duration = Duration::from_secs(2);
pub const POOLED_APP: &str = "orders-worker";

/// The running clients; dropping it aborts them, which disconnects them from the pooler.
#[derive(Debug)]
pub struct PooledApp {
    tasks: Vec<JoinHandle<()>>,
}

impl PooledApp {
    /// `clients` sessions through the pooler at `conninfo` (a libpq string without dbname).
    pub fn start(conninfo: &str, clients: usize) -> PooledApp {
        let tasks = (0..clients)
            .map(|i| {
                let ci = format!("{conninfo} dbname={DB} application_name={POOLED_APP}");
                tokio::spawn(client(ci, i as u64))
            })
            .collect();
        PooledApp { tasks }
    }
}

impl Drop for PooledApp {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// One client: a transaction that holds its server connection for a moment, then a pause.
/// Simple query protocol only: in transaction pooling, statements prepared outside a
/// transaction may land on another server connection.
async fn client(conninfo: String, i: u64) {
    let low = MAX_CHAIN_DEPTH as u64 * 2;
    let mut n = i;
    loop {
        if let Ok((client, conn)) = tokio_postgres::connect(&conninfo, NoTls).await {
            tokio::spawn(async move {
                let _ = conn.await;
            });
            while !client.is_closed() {
                n = n.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                let account = low + (n >> 33) % 9_000;
                let sql = format!(
                    "BEGIN; SELECT balance FROM accounts WHERE id = {account}; \
                     SELECT pg_sleep(0.4); COMMIT"
                );
                let _ = client.batch_execute(&sql).await;
                sleep(Duration::from_millis(100 + (n >> 40) % 400)).await;
            }
        }
        sleep(RETRY).await;
    }
}
