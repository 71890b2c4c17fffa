//! Lock pile-ups beyond the plain chain, for the Locks pane's tests and the demo: a prepared
//! transaction blocking a session, a session blocked by two share-lock holders, an advisory lock
//! queue, and row-level (tuple) waits. Each handle keeps its sessions until released or dropped.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep};
use tokio_postgres::Client;

use super::cluster::Endpoint;
use super::schema::DB;
use super::sessions::{backend_pid, wait_until};
use super::{Cluster, LabError};

/// Tables of their own, so the pile-ups never stall the rest of the workload.
const TABLES: &str = "
CREATE TABLE IF NOT EXISTS ledger_export (id int PRIMARY KEY, note text NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS ledger_close (id int PRIMARY KEY, note text NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS ledger_rows (id int PRIMARY KEY, note text NOT NULL DEFAULT '');
INSERT INTO ledger_rows SELECT g, '' FROM generate_series(1, 10) g ON CONFLICT DO NOTHING;
GRANT SELECT, UPDATE ON ledger_export, ledger_close, ledger_rows TO app_rw, batch, reporting;
";

/// Sessions holding and waiting for locks. Dropping it disconnects them all and rolls back its
/// prepared transaction (which would otherwise outlive every session).
#[derive(Debug)]
pub struct LockPile {
    pids: Vec<i32>,
    holders: Vec<Client>,
    waiters: Vec<JoinHandle<()>>,
    prepared: Option<(Endpoint, String)>,
}

impl LockPile {
    fn new() -> Self {
        Self {
            pids: Vec::new(),
            holders: Vec::new(),
            waiters: Vec::new(),
            prepared: None,
        }
    }

    /// Backend pids in the order the sessions were started (holders first, then waiters).
    pub fn pids(&self) -> &[i32] {
        &self.pids
    }

    /// The gid of the prepared transaction, if the pile has one.
    pub fn gid(&self) -> Option<&str> {
        self.prepared.as_ref().map(|(_, gid)| gid.as_str())
    }

    /// True once a holder's connection is gone (server restarted): the pile is over.
    pub fn is_broken(&self) -> bool {
        self.holders.iter().any(Client::is_closed)
    }

    /// Ends the pile: rolls back the prepared transaction and disconnects every session.
    pub async fn release(mut self) -> Result<(), LabError> {
        if let Some((ep, gid)) = self.prepared.take() {
            rollback_prepared(&ep, &gid).await?;
        }
        Ok(())
    }

    async fn hold(
        &mut self,
        ep: &Endpoint,
        role: &str,
        app: &str,
        sql: &str,
    ) -> Result<(), LabError> {
        let client = ep.connect(DB, role, app).await?;
        self.pids.push(backend_pid(&client).await?);
        client
            .batch_execute(sql)
            .await
            .map_err(|e| LabError::db("lock holder", e))?;
        self.holders.push(client);
        Ok(())
    }

    /// Starts `sql` in a session of its own and returns once it waits on a lock.
    async fn wait(
        &mut self,
        ep: &Endpoint,
        role: &str,
        app: &str,
        sql: &str,
    ) -> Result<i32, LabError> {
        let client = ep.connect(DB, role, app).await?;
        let pid = backend_pid(&client).await?;
        let sql = sql.to_owned();
        self.waiters.push(tokio::spawn(async move {
            let _ = client.batch_execute(&sql).await;
        }));
        self.pids.push(pid);
        wait_until(ep, pid, "wait_event_type = 'Lock'").await?;
        Ok(pid)
    }
}

impl Drop for LockPile {
    fn drop(&mut self) {
        for waiter in &self.waiters {
            waiter.abort();
        }
        if let (Some((ep, gid)), Ok(rt)) =
            (self.prepared.take(), tokio::runtime::Handle::try_current())
        {
            rt.spawn(async move {
                let _ = rollback_prepared(&ep, &gid).await;
            });
        }
    }
}

async fn rollback_prepared(ep: &Endpoint, gid: &str) -> Result<(), LabError> {
    let admin = ep.connect(DB, "postgres", "pgscope-lab").await?;
    let gid = gid.replace('\'', "''");
    admin
        .batch_execute(&format!("ROLLBACK PREPARED '{gid}'"))
        .await
        .map_err(|e| LabError::db("rollback prepared", e))
}

/// Creates the pile-up tables (idempotent). Needs [`setup`](super::setup) first.
pub async fn setup_lock_tables(cluster: &Cluster) -> Result<(), LabError> {
    create_tables(&cluster.endpoint()).await
}

pub(crate) async fn create_tables(ep: &Endpoint) -> Result<(), LabError> {
    let admin = ep.connect(DB, "postgres", "pgscope-lab-setup").await?;
    admin
        .batch_execute(TABLES)
        .await
        .map_err(|e| LabError::db("create the lock tables", e))
}

/// A prepared transaction holding ACCESS EXCLUSIVE on `ledger_export`, and a session waiting
/// to read it: `pg_blocking_pids` reports the blocker as pid 0.
pub async fn prepared_blocker(cluster: &Cluster, gid: &str) -> Result<LockPile, LabError> {
    start_prepared_blocker(&cluster.endpoint(), gid).await
}

pub(crate) async fn start_prepared_blocker(ep: &Endpoint, gid: &str) -> Result<LockPile, LabError> {
    let mut pile = LockPile::new();
    let owner = ep.connect(DB, "batch", "ledger-export").await?;
    let quoted = gid.replace('\'', "''");
    owner
        .batch_execute(&format!(
            "BEGIN; LOCK TABLE ledger_export IN ACCESS EXCLUSIVE MODE; PREPARE TRANSACTION '{quoted}'"
        ))
        .await
        .map_err(|e| LabError::db("prepare transaction", e))?;
    drop(owner);
    pile.prepared = Some((ep.clone(), gid.to_owned()));
    pile.wait(
        ep,
        "reporting",
        "metabase",
        "SELECT count(*) FROM ledger_export",
    )
    .await?;
    Ok(pile)
}

/// Two sessions holding SHARE on `ledger_close`, a third waiting for EXCLUSIVE (blocked by
/// both), and a fourth queued behind the third: `pids()` = [share1, share2, exclusive, queued].
pub async fn two_blockers(cluster: &Cluster) -> Result<LockPile, LabError> {
    start_two_blockers(&cluster.endpoint()).await
}

pub(crate) async fn start_two_blockers(ep: &Endpoint) -> Result<LockPile, LabError> {
    let mut pile = LockPile::new();
    let share = "BEGIN; LOCK TABLE ledger_close IN SHARE MODE";
    pile.hold(ep, "batch", "month-end-close", share).await?;
    pile.hold(ep, "reporting", "metabase", share).await?;
    pile.wait(
        ep,
        "batch",
        "ledger-lock",
        "BEGIN; LOCK TABLE ledger_close IN EXCLUSIVE MODE",
    )
    .await?;
    pile.wait(
        ep,
        "app_rw",
        "billing-api",
        "SELECT * FROM ledger_close FOR UPDATE",
    )
    .await?;
    Ok(pile)
}

/// A session holding advisory lock `key` (session level, then idle), and `waiters` sessions
/// queued for it: `pids()` = [holder, waiter1, ...].
pub async fn advisory_queue(
    cluster: &Cluster,
    key: i64,
    waiters: usize,
) -> Result<LockPile, LabError> {
    start_advisory_queue(&cluster.endpoint(), key, waiters).await
}

pub(crate) async fn start_advisory_queue(
    ep: &Endpoint,
    key: i64,
    waiters: usize,
) -> Result<LockPile, LabError> {
    let mut pile = LockPile::new();
    pile.hold(
        ep,
        "batch",
        "scheduler",
        &format!("SELECT pg_advisory_lock({key})"),
    )
    .await?;
    for _ in 0..waiters {
        let sql = format!("SELECT pg_advisory_lock({key})");
        pile.wait(ep, "batch", "scheduler", &sql).await?;
    }
    Ok(pile)
}

/// One session updating row 1 of `ledger_rows` idle in transaction, and `waiters` sessions
/// updating the same row: the first waits on the holder's transaction id, the others on the
/// row (tuple) lock the first one holds. `pids()` = [holder, waiter1, ...].
pub async fn row_pileup(cluster: &Cluster, waiters: usize) -> Result<LockPile, LabError> {
    start_row_pileup(&cluster.endpoint(), waiters).await
}

pub(crate) async fn start_row_pileup(ep: &Endpoint, waiters: usize) -> Result<LockPile, LabError> {
    let mut pile = LockPile::new();
    let update = "UPDATE ledger_rows SET note = 'closing' WHERE id = 1";
    pile.hold(ep, "batch", "ledger-sync", &format!("BEGIN; {update}"))
        .await?;
    for _ in 0..waiters {
        pile.wait(ep, "app_rw", "checkout", update).await?;
    }
    Ok(pile)
}

/// How long the demo's pile-ups stay, and how long the screen stays calm between them.
const PILE_UP: Duration = Duration::from_secs(75);
const PILE_DOWN: Duration = Duration::from_secs(8);

/// The demo's pile-ups besides the plain chain: a prepared transaction blocker, a session
/// blocked by two, an advisory lock queue and row-level waits. Built, held, released, rebuilt;
/// a piece that fails (say, during a server restart) is skipped this round.
pub(crate) async fn pileup_cycle(ep: Endpoint) {
    let mut round = 0u64;
    loop {
        round += 1;
        if create_tables(&ep).await.is_err() {
            sleep(Duration::from_secs(2)).await;
            continue;
        }
        let gid = format!("pgscope-demo-export-{round}");
        let piles: Vec<LockPile> = [
            start_prepared_blocker(&ep, &gid).await,
            start_two_blockers(&ep).await,
            start_advisory_queue(&ep, 4242, 2).await,
            start_row_pileup(&ep, 3).await,
        ]
        .into_iter()
        .filter_map(Result::ok)
        .collect();
        let until = Instant::now() + PILE_UP;
        while Instant::now() < until && !piles.iter().any(LockPile::is_broken) {
            sleep(Duration::from_secs(1)).await;
        }
        for pile in piles {
            let _ = pile.release().await;
        }
        sleep(PILE_DOWN).await;
    }
}
