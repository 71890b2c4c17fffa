//! `pgscope demo`: a throwaway local cluster with a realistic workload, and the UI on it.
//! Everything it starts is stopped and removed when the UI exits, by any path.

use crate::app::{self, Options};
use crate::cli::DemoArgs;
use crate::collect::session;
use crate::conn::{self, ConnArgs};
use crate::lab::{
    Cluster, ClusterOptions, PgBinaries, PgBouncer, PooledApp, PoolerOptions, Workload,
};
use crate::terminal::say;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Lab(#[from] crate::lab::LabError),
    #[error(transparent)]
    Conn(#[from] conn::ConnError),
    #[error(transparent)]
    Session(#[from] session::SessionError),
    #[error("terminal: {0}")]
    Terminal(#[from] std::io::Error),
}

pub async fn run(args: &DemoArgs, mut opts: Options) -> Result<app::Exit, DemoError> {
    let bins = PgBinaries::find(args.pg_bin.as_deref())?;
    say(&format!(
        "pgscope demo: starting a throwaway PostgreSQL {} cluster…",
        bins.major
    ));
    // wal_level = logical for the demo's logical subscription.
    let cluster_opts = ClusterOptions {
        settings: vec![("wal_level".into(), "logical".into())],
    };
    let cluster = tokio::task::spawn_blocking(move || Cluster::start(&bins, &cluster_opts))
        .await
        .map_err(|e| std::io::Error::other(e.to_string()))??;
    let dir = cluster.data_dir().display().to_string();
    say(&format!(
        "pgscope demo: cluster in {dir}; loading demo data…"
    ));
    crate::lab::setup(&cluster).await?;
    let workload = Workload::start(&cluster).await?;
    let pooler = start_pooler(&cluster);
    if let Some((bouncer, _)) = &pooler {
        // As `--pooler` would: the Pooler pane shows the demo's PgBouncer.
        let target = crate::pooler::admin::resolve(&bouncer.admin_conninfo("postgres"), &|_| None)?;
        let first = crate::pooler::admin::open(&target).await.ok();
        opts.pooler = Some(app::PoolerStart { target, first });
    }
    let args = ConnArgs {
        // The workload's database: relation names and table statistics are per database.
        conninfo: Some(cluster.conninfo(crate::lab::DB)),
        ..ConnArgs::default()
    };
    let target = conn::resolve(&args, &|_| None)?;
    let client = conn::connect_full(&target, session::APPLICATION_NAME).await?;
    let session = session::prepare(client).await?;
    let result = app::run(target, session, opts).await;
    drop(pooler);
    drop(workload);
    drop(cluster);
    result.map_err(DemoError::from)
}

/// PgBouncer in front of the shop database, when it is installed: a transaction pool of
/// [`POOL_SIZE`] server connections for [`POOLED_CLIENTS`] application clients, so clients
/// queue in the pooler. Without PgBouncer (or if it fails to start) the demo runs without it.
fn start_pooler(cluster: &Cluster) -> Option<(PgBouncer, PooledApp)> {
    PgBouncer::find_binary()?;
    let opts = PoolerOptions {
        databases: vec![crate::lab::DB.to_owned()],
        pool_size: POOL_SIZE,
        users: ["postgres", "app_rw"]
            .map(|u| (u.to_owned(), u.to_owned()))
            .to_vec(),
        ..PoolerOptions::default()
    };
    // Blocks for the moment PgBouncer takes to listen, before the UI starts.
    match PgBouncer::start(cluster, &opts) {
        Ok(pooler) => {
            let app = PooledApp::start(
                &format!("host=127.0.0.1 port={} user=app_rw", pooler.port()),
                POOLED_CLIENTS,
            );
            say(&format!(
                "pgscope demo: PgBouncer in front of {} ({POOLED_CLIENTS} clients, {POOL_SIZE} server \
                 connections); admin console: {}",
                crate::lab::DB,
                pooler.admin_conninfo("postgres")
            ));
            Some((pooler, app))
        }
        Err(e) => {
            say(&format!(
                "pgscope demo: PgBouncer did not start, continuing without it: {e}"
            ));
            None
        }
    }
}

const POOL_SIZE: u32 = 2;
const POOLED_CLIENTS: usize = 8;
