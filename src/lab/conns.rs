//! Demo load for the Connections pane: an application without a pool that opens a short-lived
//! TCP connection a few times per second, a pool over TCP that holds more connections than it
//! uses, and a dashboard polling from another database.

use std::time::Duration;

use tokio::task::JoinHandle;
use tokio::time::sleep;
use tokio_postgres::{Client, NoTls};

use super::cluster::Endpoint;
use super::schema::DB;

/// A new connection this often: about three per second, each living 0.2 to 2 s.
const CHURN_EVERY: Duration = Duration::from_millis(330);
const POOL_SIZE: u64 = 6;
const RETRY: Duration = Duration::from_secs(2);

pub(crate) fn start(ep: &Endpoint) -> Vec<JoinHandle<()>> {
    let mut tasks = vec![tokio::spawn(churn(ep.clone()))];
    for i in 0..POOL_SIZE {
        tasks.push(tokio::spawn(pooled(ep.clone(), i)));
    }
    tasks.push(tokio::spawn(dashboard(ep.clone())));
    tasks
}

/// Over TCP, so the client column shows an address rather than the unix socket.
async fn connect_tcp(ep: &Endpoint, db: &str, user: &str, app: &str) -> Option<Client> {
    let (client, connection) = tokio_postgres::Config::new()
        .host("127.0.0.1")
        .port(ep.port())
        .user(user)
        .dbname(db)
        .application_name(app)
        .connect_timeout(Duration::from_secs(5))
        .connect(NoTls)
        .await
        .ok()?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Some(client)
}

/// Connect, one query, a little think time, disconnect: what an app without a pool does.
async fn churn(ep: Endpoint) {
    let mut n = 0u64;
    loop {
        n = n.wrapping_add(1);
        let ep = ep.clone();
        let life = Duration::from_millis(200 + (n * 7919) % 1_800);
        let account = i32::try_from(100 + (n * 104_729) % 9_000).unwrap_or(100);
        // Each lives only briefly on its own, so the loop never waits on a slow server.
        tokio::spawn(async move {
            if let Some(client) = connect_tcp(&ep, DB, "app_rw", "legacy-php").await {
                let _ = client
                    .query("SELECT balance FROM accounts WHERE id = $1", &[&account])
                    .await;
                sleep(life).await;
            }
        });
        sleep(CHURN_EVERY).await;
    }
}

/// One pooled connection: mostly idle, a query now and then.
async fn pooled(ep: Endpoint, i: u64) {
    loop {
        if let Some(client) = connect_tcp(&ep, DB, "app_rw", "inventory-svc").await {
            while !client.is_closed() {
                let _ = client
                    .query("SELECT count(*) FROM orders WHERE status = 'new'", &[])
                    .await;
                sleep(Duration::from_secs(5 + i * 3)).await;
            }
        }
        sleep(RETRY).await;
    }
}

/// A dashboard in the `postgres` database.
async fn dashboard(ep: Endpoint) {
    loop {
        if let Some(client) = connect_tcp(&ep, "postgres", "reporting", "grafana").await {
            while !client.is_closed() {
                let _ = client
                    .query("SELECT count(*) FROM pg_stat_database", &[])
                    .await;
                sleep(Duration::from_secs(4)).await;
            }
        }
        sleep(RETRY).await;
    }
}
