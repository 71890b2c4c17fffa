//! Single, precise situations for tests and the demo: a lock chain, an idle-in-transaction
//! session, a long query. Each handle keeps its sessions alive until it is dropped.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tokio_postgres::{CancelToken, Client, NoTls};

use super::cluster::Endpoint;
use super::schema::DB;
use super::{Cluster, LabError};

/// Who sits at each level of a lock chain: (role, `application_name`). Deeper levels cycle 1..
const CHAIN_IDS: [(&str, &str); 4] = [
    ("batch", "nightly-import"),
    ("app_rw", "billing-api"),
    ("app_rw", "checkout"),
    ("reporting", "metabase"),
];

/// Rows `1..=MAX_CHAIN_DEPTH` of `accounts` are reserved for lock chains; the busy workload stays
/// above them so it never joins (and stretches) a chain by accident.
pub(crate) const MAX_CHAIN_DEPTH: usize = 50;

/// How long to wait for a session to reach the state we set up (lock wait, active query).
const SETTLE: Duration = Duration::from_secs(15);

/// One backend we hold open. Dropping it aborts its pending statement (if any) and disconnects.
pub struct Session {
    pid: i32,
    client: Arc<Client>,
    task: Option<JoinHandle<()>>,
    cancel: Option<CancelToken>,
}

impl Session {
    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// The session's client, e.g. to COMMIT an idle-in-transaction session.
    pub fn client(&self) -> &Client {
        &self.client
    }
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
        // A backend in pg_sleep only notices a closed socket when the sleep ends: cancel it.
        if let (Some(token), Ok(rt)) = (self.cancel.take(), tokio::runtime::Handle::try_current()) {
            rt.spawn(async move {
                let _ = token.cancel_query(NoTls).await;
            });
        }
    }
}

/// A chain of sessions, each waiting on a row lock of the previous one. The root holds its
/// lock idle in transaction; dropping the chain disconnects the root and the chain dissolves.
#[derive(Debug)]
pub struct LockChain {
    pids: Vec<i32>,
    root: Client,
    waiters: Vec<JoinHandle<()>>,
}

impl LockChain {
    /// Backend pids in chain order: `pids()[0]` is the root blocker, `pids()[i]` waits on `[i-1]`.
    pub fn pids(&self) -> &[i32] {
        &self.pids
    }

    /// True once the root's connection is gone (server restarted or killed): the chain is over.
    pub fn is_broken(&self) -> bool {
        self.root.is_closed()
    }

    /// Commits the root and waits (briefly) for the cascade: each waiter gets its lock, commits
    /// and disconnects.
    pub async fn release(mut self) -> Result<(), LabError> {
        self.root
            .batch_execute("COMMIT")
            .await
            .map_err(|e| LabError::db("commit chain root", e))?;
        for waiter in std::mem::take(&mut self.waiters) {
            let _ = tokio::time::timeout(SETTLE, waiter).await;
        }
        Ok(())
    }
}

impl Drop for LockChain {
    fn drop(&mut self) {
        for waiter in &self.waiters {
            waiter.abort();
        }
    }
}

/// Builds a lock chain `depth` sessions long (1..=50) in the `shop` database (see [`setup`]).
/// Returns once every waiter is seen waiting on a lock in `pg_stat_activity`.
///
/// [`setup`]: super::setup
pub async fn lock_chain(cluster: &Cluster, depth: usize) -> Result<LockChain, LabError> {
    build_lock_chain(&cluster.endpoint(), depth).await
}

/// A `batch` session that updated one order and then sits idle in transaction.
pub async fn idle_in_transaction(cluster: &Cluster) -> Result<Session, LabError> {
    start_idle_in_transaction(&cluster.endpoint()).await
}

/// A `reporting` session running `SELECT pg_sleep(secs)`; returns once it is seen active.
pub async fn long_query(cluster: &Cluster, secs: f64) -> Result<Session, LabError> {
    let ep = cluster.endpoint();
    let client = Arc::new(ep.connect(DB, "reporting", "metabase").await?);
    let pid = backend_pid(&client).await?;
    let runner = Arc::clone(&client);
    let sql = format!("SELECT pg_sleep({secs})");
    let task = tokio::spawn(async move {
        let _ = runner.batch_execute(&sql).await;
    });
    let session = Session {
        pid,
        cancel: Some(client.cancel_token()),
        client,
        task: Some(task),
    };
    wait_until(
        &ep,
        pid,
        "state = 'active' AND query LIKE 'SELECT pg_sleep%'",
    )
    .await?;
    Ok(session)
}

pub(crate) async fn build_lock_chain(ep: &Endpoint, depth: usize) -> Result<LockChain, LabError> {
    if !(1..=MAX_CHAIN_DEPTH).contains(&depth) {
        return Err(LabError::Invalid(format!(
            "lock chain depth {depth} is outside 1..={MAX_CHAIN_DEPTH}"
        )));
    }
    let (role, app) = CHAIN_IDS[0];
    let root = ep.connect(DB, role, app).await?;
    let root_pid = backend_pid(&root).await?;
    root.batch_execute("BEGIN; UPDATE accounts SET balance = balance - 10 WHERE id = 1")
        .await
        .map_err(|e| LabError::db("lock chain root", e))?;
    let mut chain = LockChain {
        pids: vec![root_pid],
        root,
        waiters: Vec::new(),
    };
    for level in 1..depth {
        let (role, app) = CHAIN_IDS[1 + (level - 1) % (CHAIN_IDS.len() - 1)];
        let client = ep.connect(DB, role, app).await?;
        let pid = backend_pid(&client).await?;
        // Hold the row the next level will want, unless this is the last level.
        let hold = if level + 1 < depth {
            format!(
                "UPDATE accounts SET balance = balance - 10 WHERE id = {}",
                level + 1
            )
        } else {
            String::new()
        };
        client
            .batch_execute(&format!("BEGIN; {hold}"))
            .await
            .map_err(|e| LabError::db("lock chain level", e))?;
        let wait = format!("UPDATE accounts SET balance = balance + 10 WHERE id = {level}");
        chain.waiters.push(tokio::spawn(async move {
            if client.batch_execute(&wait).await.is_ok() {
                let _ = client.batch_execute("COMMIT").await;
            }
        }));
        chain.pids.push(pid);
        // Wait before the next level, so each level waits on exactly the previous one.
        wait_until(ep, pid, "wait_event_type = 'Lock'").await?;
    }
    Ok(chain)
}

pub(crate) async fn start_idle_in_transaction(ep: &Endpoint) -> Result<Session, LabError> {
    let client = ep.connect(DB, "batch", "batch-etl").await?;
    // pid first, so the last statement pg_stat_activity shows is the UPDATE.
    let pid = backend_pid(&client).await?;
    client
        .batch_execute("BEGIN; UPDATE orders SET status = 'paid' WHERE id = 42")
        .await
        .map_err(|e| LabError::db("idle in transaction", e))?;
    Ok(Session {
        pid,
        client: Arc::new(client),
        task: None,
        cancel: None,
    })
}

/// A connected session that ran `sql` once and now sits idle (a pooled or forgotten connection).
pub(crate) async fn start_idle(
    ep: &Endpoint,
    role: &str,
    app: &str,
    sql: &str,
) -> Result<Session, LabError> {
    let client = ep.connect(DB, role, app).await?;
    let pid = backend_pid(&client).await?;
    client
        .batch_execute(sql)
        .await
        .map_err(|e| LabError::db("idle session", e))?;
    Ok(Session {
        pid,
        client: Arc::new(client),
        task: None,
        cancel: None,
    })
}

pub(crate) async fn backend_pid(client: &Client) -> Result<i32, LabError> {
    let row = client
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .map_err(|e| LabError::db("pg_backend_pid()", e))?;
    Ok(row.get(0))
}

/// Polls `pg_stat_activity` on a separate connection until `pid` matches `condition`.
pub(crate) async fn wait_until(ep: &Endpoint, pid: i32, condition: &str) -> Result<(), LabError> {
    let monitor = ep.connect("postgres", "postgres", "pgscope-lab").await?;
    let sql = format!("SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND {condition}");
    let deadline = Instant::now() + SETTLE;
    loop {
        let found = monitor
            .query_opt(&sql, &[&pid])
            .await
            .map_err(|e| LabError::db("poll pg_stat_activity", e))?;
        if found.is_some() {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(LabError::Timeout(format!(
                "backend {pid} never reached `{condition}`"
            )));
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
