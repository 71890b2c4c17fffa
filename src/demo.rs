//! `pgscope demo`: a throwaway local cluster with a realistic workload, and the UI on it.
//! Everything it starts is stopped and removed when the UI exits, by any path.

use crate::app::{self, Options};
use crate::cli::DemoArgs;
use crate::collect::session;
use crate::conn::{self, ConnArgs};
use crate::lab::{Cluster, ClusterOptions, PgBinaries, Workload};
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

pub async fn run(args: &DemoArgs, opts: Options) -> Result<app::Exit, DemoError> {
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
    let args = ConnArgs {
        // The workload's database: relation names and table statistics are per database.
        conninfo: Some(cluster.conninfo(crate::lab::DB)),
        ..ConnArgs::default()
    };
    let target = conn::resolve(&args, &|_| None)?;
    let client = conn::connect_full(&target, session::APPLICATION_NAME).await?;
    let session = session::prepare(client).await?;
    let result = app::run(target, session, opts).await;
    drop(workload);
    drop(cluster);
    result.map_err(DemoError::from)
}
