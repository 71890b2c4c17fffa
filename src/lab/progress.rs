//! Long operations for the Progress pane, cheap on CPU: a VACUUM slowed by cost-based delay, a
//! CREATE INDEX and a COPY slowed by a sleeping function per row, and a session holding an old
//! snapshot. Used by the demo workload (in a cycle) and by tests (one at a time).

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::task::JoinHandle;
use tokio::time::sleep;
use tokio_postgres::{CancelToken, Client, NoTls};

use super::cluster::Endpoint;
use super::schema::DB;
use super::sessions::backend_pid;
use super::{Cluster, LabError};

/// Rows of the table the demo vacuums: big enough for a VACUUM of a minute or two at the
/// throttle below, small enough to load in about a second.
pub const DEMO_VACUUM_ROWS: i32 = 300_000;
/// Rows copied and indexed in the demo; each costs about a millisecond of sleep.
const DEMO_SLOW_ROWS: i32 = 20_000;
/// The demo's pause between a CREATE INDEX and a COPY.
const DEMO_GAP: Duration = Duration::from_secs(20);
const RETRY: Duration = Duration::from_secs(2);
const SETTLE: Duration = Duration::from_secs(20);

/// Tables, the sleeping functions and the COPY source file (written by the server into its
/// data directory, so no file permissions are involved). Idempotent.
const SETUP: &str = "
CREATE TABLE IF NOT EXISTS events (id int NOT NULL, kind text NOT NULL, payload text)
    WITH (autovacuum_enabled = off);
CREATE INDEX IF NOT EXISTS events_id ON events (id);
CREATE OR REPLACE FUNCTION normalize_ref(int) RETURNS int IMMUTABLE LANGUAGE plpgsql AS
    'BEGIN PERFORM pg_sleep(0.001); RETURN $1; END';
CREATE OR REPLACE FUNCTION audit_enrich() RETURNS trigger LANGUAGE plpgsql AS
    'BEGIN PERFORM pg_sleep(0.001); RETURN NEW; END';
CREATE TABLE IF NOT EXISTS order_archive (id int NOT NULL, note text);
CREATE TABLE IF NOT EXISTS audit_log (id int NOT NULL, note text);
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_trigger WHERE tgname = 'audit_enrich') THEN
        CREATE TRIGGER audit_enrich BEFORE INSERT ON audit_log
            FOR EACH ROW EXECUTE FUNCTION audit_enrich();
    END IF;
END $$;
";

/// A backend running one long statement. Dropping it cancels the statement and disconnects.
pub struct Running {
    pid: i32,
    client: Arc<Client>,
    task: JoinHandle<()>,
    cancel: CancelToken,
}

impl Running {
    pub fn pid(&self) -> i32 {
        self.pid
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    /// True once the statement has finished (or failed).
    pub fn is_finished(&self) -> bool {
        self.task.is_finished()
    }
}

impl std::fmt::Debug for Running {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Running")
            .field("pid", &self.pid)
            .finish_non_exhaustive()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
        let token = self.cancel.clone();
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                let _ = token.cancel_query(NoTls).await;
            });
        }
    }
}

/// A manual VACUUM of `events` (filled with `rows` rows, a third of them deleted) slowed by
/// cost-based delay to about 10–20 pages a second. Returns once it shows in
/// pg_stat_progress_vacuum.
pub async fn throttled_vacuum(cluster: &Cluster, rows: i32) -> Result<Running, LabError> {
    let ep = cluster.endpoint();
    let admin = ep.connect(DB, "postgres", "pgscope-lab").await?;
    prepare(&admin).await?;
    fill_events(&admin, rows).await?;
    start(
        &ep,
        "maintenance",
        &vacuum_sql(2),
        "pg_stat_progress_vacuum",
    )
    .await
}

/// CREATE INDEX on an expression that sleeps a millisecond per row of `rows`.
pub async fn slow_create_index(cluster: &Cluster, rows: i32) -> Result<Running, LabError> {
    let ep = cluster.endpoint();
    let admin = ep.connect(DB, "postgres", "pgscope-lab").await?;
    prepare(&admin).await?;
    fill_archive(&admin, rows).await?;
    start(
        &ep,
        "migrate",
        &[INDEX_SQL],
        "pg_stat_progress_create_index",
    )
    .await
}

/// COPY of `rows` rows (about 200 bytes each) from a server-side file into a table whose
/// trigger sleeps a millisecond per row (PostgreSQL 14+ reports COPY progress).
pub async fn slow_copy(cluster: &Cluster, rows: i32) -> Result<Running, LabError> {
    let ep = cluster.endpoint();
    let admin = ep.connect(DB, "postgres", "pgscope-lab").await?;
    prepare(&admin).await?;
    write_copy_file(&admin, rows).await?;
    let view = if cluster.major() >= 14 {
        "pg_stat_progress_copy"
    } else {
        ""
    };
    start(&ep, "audit-loader", &[COPY_SQL], view).await
}

/// A `reporting` session that read a table in a REPEATABLE READ transaction and then went
/// idle: its snapshot holds back the xmin horizon until it ends.
pub async fn old_snapshot(cluster: &Cluster) -> Result<Running, LabError> {
    let ep = cluster.endpoint();
    let client = Arc::new(ep.connect(DB, "reporting", "quarterly-report").await?);
    let pid = backend_pid(&client).await?;
    client
        .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM accounts")
        .await
        .map_err(|e| LabError::db("old snapshot", e))?;
    Ok(Running {
        pid,
        cancel: client.cancel_token(),
        client,
        task: tokio::spawn(async {}),
    })
}

/// The demo's share: a throttled VACUUM over and over, and a CREATE INDEX and a COPY in turn.
pub(crate) fn spawn_demo(ep: &Endpoint) -> Vec<JoinHandle<()>> {
    vec![
        tokio::spawn(vacuum_cycle(ep.clone())),
        tokio::spawn(build_cycle(ep.clone())),
    ]
}

async fn vacuum_cycle(ep: Endpoint) {
    loop {
        if let Ok(client) = ep.connect(DB, "postgres", "maintenance").await {
            let ready = async {
                prepare(&client).await?;
                fill_events(&client, DEMO_VACUUM_ROWS).await
            };
            if ready.await.is_ok() {
                while !client.is_closed() {
                    for sql in vacuum_sql(4) {
                        let _ = client.batch_execute(&sql).await;
                    }
                    sleep(Duration::from_secs(10)).await;
                }
            }
        }
        sleep(RETRY).await;
    }
}

async fn build_cycle(ep: Endpoint) {
    loop {
        if let Ok(client) = ep.connect(DB, "postgres", "migrate").await {
            let ready = async {
                prepare(&client).await?;
                fill_archive(&client, DEMO_SLOW_ROWS).await?;
                write_copy_file(&client, DEMO_SLOW_ROWS).await
            };
            if ready.await.is_ok() {
                while !client.is_closed() {
                    sleep(DEMO_GAP).await;
                    let _ = client.batch_execute(INDEX_SQL).await;
                    let _ = client
                        .batch_execute("DROP INDEX IF EXISTS order_archive_ref")
                        .await;
                    sleep(DEMO_GAP).await;
                    let _ = client.batch_execute(COPY_SQL).await;
                    let _ = client.batch_execute("TRUNCATE audit_log").await;
                }
            }
        }
        sleep(RETRY).await;
    }
}

/// Every page costs the same, and `limit` of them a pause of 100 ms: slow, and nearly idle.
/// The settings go first on their own: VACUUM refuses to run inside a multi-statement query.
fn vacuum_sql(limit: u32) -> [String; 2] {
    [
        format!(
            "SET vacuum_cost_page_hit = 1; SET vacuum_cost_page_miss = 1; \
             SET vacuum_cost_page_dirty = 1; SET vacuum_cost_limit = {limit}; \
             SET vacuum_cost_delay = '100ms'"
        ),
        "VACUUM (DISABLE_PAGE_SKIPPING) events".to_owned(),
    ]
}

const INDEX_SQL: &str = "SET max_parallel_maintenance_workers = 0; \
     DROP INDEX IF EXISTS order_archive_ref; \
     CREATE INDEX order_archive_ref ON order_archive (normalize_ref(id))";

const COPY_SQL: &str = "TRUNCATE audit_log; COPY audit_log FROM 'pgscope_audit.csv' (FORMAT csv)";

async fn prepare(client: &Client) -> Result<(), LabError> {
    client
        .batch_execute(SETUP)
        .await
        .map_err(|e| LabError::db("set up the progress tables", e))
}

/// Loads `events` once and deletes a third of it, so a VACUUM has dead tuples to find.
async fn fill_events(client: &Client, rows: i32) -> Result<(), LabError> {
    let sql = format!(
        "INSERT INTO events SELECT g, 'click', repeat('x', 40) FROM generate_series(1, {rows}) g \
           WHERE NOT EXISTS (SELECT FROM events); \
         DELETE FROM events WHERE id % 3 = 0 AND id <= {rows}"
    );
    client
        .batch_execute(&sql)
        .await
        .map_err(|e| LabError::db("fill events", e))
}

async fn fill_archive(client: &Client, rows: i32) -> Result<(), LabError> {
    let sql = format!(
        "INSERT INTO order_archive SELECT g, 'archived order ' || g \
           FROM generate_series(1, {rows}) g WHERE NOT EXISTS (SELECT FROM order_archive)"
    );
    client
        .batch_execute(&sql)
        .await
        .map_err(|e| LabError::db("fill order_archive", e))
}

async fn write_copy_file(client: &Client, rows: i32) -> Result<(), LabError> {
    // COPY TO wants an absolute path; COPY FROM then reads it relative to the data directory.
    let sql = format!(
        "DO $$ BEGIN EXECUTE format( \
           'COPY (SELECT g, repeat(''audit entry '', 16) || g \
                    FROM generate_series(1, {rows}) g) TO %L (FORMAT csv)', \
           current_setting('data_directory') || '/pgscope_audit.csv'); END $$"
    );
    client
        .batch_execute(&sql)
        .await
        .map_err(|e| LabError::db("write the COPY source file", e))
}

/// Runs `sql`, one query after the other, on a new session named `app`, and waits until its
/// pid shows in `view` (when the server has that view).
async fn start(
    ep: &Endpoint,
    app: &str,
    sql: &[impl AsRef<str>],
    view: &str,
) -> Result<Running, LabError> {
    let client = Arc::new(ep.connect(DB, "postgres", app).await?);
    let pid = backend_pid(&client).await?;
    let runner = Arc::clone(&client);
    let sql: Vec<String> = sql.iter().map(|s| s.as_ref().to_owned()).collect();
    let task = tokio::spawn(async move {
        for q in sql {
            if runner.batch_execute(&q).await.is_err() {
                return;
            }
        }
    });
    let running = Running {
        pid,
        cancel: client.cancel_token(),
        client,
        task,
    };
    if !view.is_empty() {
        let monitor = ep.connect("postgres", "postgres", "pgscope-lab").await?;
        let probe = format!("SELECT 1 FROM {view} WHERE pid = $1");
        let deadline = Instant::now() + SETTLE;
        while monitor
            .query_opt(&probe, &[&pid])
            .await
            .map_err(|e| LabError::db("poll progress", e))?
            .is_none()
        {
            if Instant::now() > deadline || running.is_finished() {
                return Err(LabError::Timeout(format!(
                    "backend {pid} never showed in {view}"
                )));
            }
            sleep(Duration::from_millis(20)).await;
        }
    }
    Ok(running)
}
