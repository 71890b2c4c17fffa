//! A light but lifelike workload for the demo: busy app sessions, a slow report, idle and
//! idle-in-transaction sessions, and a 4-level lock chain that dissolves and re-forms.
//!
//! Every piece runs in its own task and survives server restarts: errors are swallowed (the TUI
//! owns the terminal) and the piece reconnects after a pause.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::task::JoinHandle;
use tokio::time::sleep;
use tokio_postgres::Client;

use super::cluster::Endpoint;
use super::schema::DB;
use super::sessions::{
    MAX_CHAIN_DEPTH, Session, build_lock_chain, start_idle, start_idle_in_transaction,
};
use super::{Cluster, LabError};

const RETRY: Duration = Duration::from_secs(2);
/// How long a lock chain stays up, and how long the screen stays calm before it re-forms.
const CHAIN_UP: Duration = Duration::from_secs(90);
const CHAIN_DOWN: Duration = Duration::from_secs(6);
const CHAIN_DEPTH: usize = 4;

/// The running workload. Dropping it aborts every task, which disconnects every session.
#[derive(Debug)]
pub struct Workload {
    tasks: Vec<JoinHandle<()>>,
    /// A standby and logical replication, when the cluster allows them; stopped on drop.
    _replication: Option<super::replication::Demo>,
}

impl Workload {
    /// Starts the workload on the current tokio runtime. Needs [`setup`](super::setup) first.
    pub async fn start(cluster: &Cluster) -> Result<Workload, LabError> {
        let ep = cluster.endpoint();
        // Fail early and clearly if the schema is missing, instead of retrying forever in silence.
        let probe = ep.connect(DB, "app_rw", "billing-api").await?;
        probe
            .batch_execute("SELECT 1 FROM accounts LIMIT 1")
            .await
            .map_err(|e| LabError::db("the lab schema is not set up", e))?;
        drop(probe);
        // Before any session opens a transaction: a logical slot waits for all running ones.
        let replication = super::replication::start_demo(cluster).await.ok();

        let mut tasks = Vec::new();
        for (i, app) in ["billing-api", "checkout"]
            .iter()
            .cycle()
            .take(6)
            .enumerate()
        {
            tasks.push(tokio::spawn(busy(ep.clone(), app, seed(i))));
        }
        tasks.push(tokio::spawn(reporting(ep.clone(), seed(99))));
        let idle = [
            (
                "app_rw",
                "billing-api",
                "SELECT id, balance FROM accounts WHERE id = 4242",
            ),
            (
                "app_rw",
                "checkout",
                "SELECT count(*) FROM orders WHERE status = 'new'",
            ),
            ("postgres", "psql", "SELECT now()"),
        ];
        for (role, app, sql) in idle {
            let ep = ep.clone();
            tasks.push(tokio::spawn(hold(move || {
                let ep = ep.clone();
                async move { start_idle(&ep, role, app, sql).await }
            })));
        }
        let iit = ep.clone();
        tasks.push(tokio::spawn(hold(move || {
            let ep = iit.clone();
            async move { start_idle_in_transaction(&ep).await }
        })));
        tasks.extend(super::conns::start(&ep));
        tasks.extend(super::progress::spawn_demo(&ep));
        tasks.extend(super::waits::spawn_demo(&ep));
        tasks.push(tokio::spawn(super::locks::pileup_cycle(ep.clone())));
        tasks.push(tokio::spawn(chain_cycle(ep)));
        Ok(Workload {
            tasks,
            _replication: replication,
        })
    }

    /// Stops the workload (same as dropping it).
    pub fn stop(self) {}
}

impl Drop for Workload {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Keeps one session open, re-creating it when its connection drops.
async fn hold<F, Fut>(make: F)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<Session, LabError>>,
{
    loop {
        if let Ok(session) = make().await {
            while !session.client().is_closed() {
                sleep(Duration::from_secs(1)).await;
            }
        }
        sleep(RETRY).await;
    }
}

/// An app connection running short statements with small random think times.
async fn busy(ep: Endpoint, app: &'static str, seed: u64) {
    let mut rng = Rng(seed);
    loop {
        if let Ok(client) = ep.connect(DB, "app_rw", app).await {
            // A cancelled statement (the operator pressed `c`) keeps the session; a closed one not.
            while !client.is_closed() {
                let _ = one_statement(&client, app, &mut rng).await;
                sleep(Duration::from_millis(rng.between(50, 500))).await;
            }
        }
        sleep(RETRY).await;
    }
}

async fn one_statement(
    client: &Client,
    app: &str,
    rng: &mut Rng,
) -> Result<(), tokio_postgres::Error> {
    // Ids above the rows reserved for lock chains, so the chain keeps its shape.
    let low = MAX_CHAIN_DEPTH as u64 * 2;
    let account = rng.between(low, 10_000) as i32;
    let amount = rng.between(1, 500) as i32;
    match rng.between(0, 100) {
        0..40 => {
            client
                .query(
                    "SELECT id, balance, owner FROM accounts WHERE id = $1",
                    &[&account],
                )
                .await?;
        }
        40..65 => {
            client
                .execute(
                    "UPDATE accounts SET balance = balance + $1 WHERE id = $2",
                    &[&amount, &account],
                )
                .await?;
        }
        65..85 => {
            let sql = "SELECT id, amount, status FROM orders WHERE account_id = $1 ORDER BY created_at DESC LIMIT 10";
            client.query(sql, &[&account]).await?;
        }
        85..95 if app == "checkout" => {
            let sql = "INSERT INTO orders (account_id, amount) VALUES ($1, $2)";
            client.execute(sql, &[&account, &amount]).await?;
        }
        85..95 => {
            let order = rng.between(low, 100_000) as i32;
            client
                .execute("UPDATE orders SET status = 'paid' WHERE id = $1", &[&order])
                .await?;
        }
        95..98 => {
            let sql = format!(
                "BEGIN; UPDATE accounts SET balance = balance - {amount} WHERE id = {account}; \
                 INSERT INTO orders (account_id, amount) VALUES ({account}, {amount}); COMMIT"
            );
            if let Err(e) = client.batch_execute(&sql).await {
                let _ = client.batch_execute("ROLLBACK").await;
                return Err(e);
            }
        }
        _ => {
            // Visible long-ish queries.
            client
                .batch_execute("SELECT pg_sleep(random() * 3)")
                .await?;
        }
    }
    Ok(())
}

/// A BI tool running a slow aggregate every few seconds.
async fn reporting(ep: Endpoint, seed: u64) {
    const REPORT: &str = "SELECT a.id, a.owner, count(*) AS orders, sum(o.amount) AS revenue \
        FROM orders o JOIN accounts a ON a.id = o.account_id \
        WHERE o.status <> 'refunded' AND (SELECT pg_sleep(1.5)) IS NOT NULL \
        GROUP BY a.id, a.owner ORDER BY revenue DESC LIMIT 20";
    let mut rng = Rng(seed);
    loop {
        if let Ok(client) = ep.connect(DB, "reporting", "metabase").await {
            while !client.is_closed() {
                let _ = client.query(REPORT, &[]).await;
                sleep(Duration::from_millis(rng.between(3_000, 8_000))).await;
            }
        }
        sleep(RETRY).await;
    }
}

/// Builds the lock chain, holds it, lets it dissolve (root commits), and starts over.
async fn chain_cycle(ep: Endpoint) {
    loop {
        match build_lock_chain(&ep, CHAIN_DEPTH).await {
            Ok(chain) => {
                // Watch the root so a restarted server gets its chain back quickly.
                let up_until = tokio::time::Instant::now() + CHAIN_UP;
                while tokio::time::Instant::now() < up_until && !chain.is_broken() {
                    sleep(Duration::from_secs(1)).await;
                }
                let _ = chain.release().await;
                sleep(CHAIN_DOWN).await;
            }
            Err(_) => sleep(RETRY).await,
        }
    }
}

fn seed(i: usize) -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64);
    nanos ^ (i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
}

/// xorshift64*: plenty for think times and ids, and no extra dependency.
struct Rng(u64);

impl Rng {
    /// Uniform-ish in `low..high` (`high` exclusive).
    fn between(&mut self, low: u64, high: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        low + self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % (high - low).max(1)
    }
}
