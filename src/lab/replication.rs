//! Replication situations: a streaming standby of a lab cluster (with a physical slot), an
//! inactive slot that retains WAL, and a logical publication/subscription between two
//! databases of the same cluster. The demo starts all three.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::sys::{self, RunAs};
use super::{Cluster, ClusterOptions, LabError};

/// Starts a streaming standby of `primary` that replicates through the physical slot `slot`
/// (created here). `pg_basebackup -R -X stream -C -S` when a client of this major or newer is
/// installed; otherwise the same through the low-level backup functions and a file copy.
pub async fn start_standby(
    primary: &Cluster,
    slot: &str,
    opts: &ClusterOptions,
) -> Result<Cluster, LabError> {
    let standby = Cluster::empty(primary.bins())?;
    match basebackup_bin(primary) {
        Some(bin) => {
            let mut cmd = sys::server_command(&bin, standby.run_as(), standby.socket_dir());
            cmd.arg("-D")
                .arg(standby.data_dir())
                .arg("-h")
                .arg(primary.socket_dir())
                .args(["-p", &primary.port().to_string(), "-U", "postgres"])
                .args(["-R", "-X", "stream", "-C", "-S", slot, "-c", "fast", "-N"]);
            blocking(move || sys::run(&mut cmd).map(drop)).await?;
        }
        None => copy_backup(primary, &standby, slot).await?,
    }
    // A newer pg_basebackup writes connection options an older server's walreceiver rejects
    // (channel_binding before 13): the settings are rewritten in the server's own terms.
    follow(primary, &standby, slot)?;
    // The slot's name doubles as the standby's application_name on the primary.
    let mut opts = opts.clone();
    opts.settings
        .insert(0, ("cluster_name".into(), slot.into()));
    blocking(move || {
        let mut standby = standby;
        standby.launch(&opts).map(|()| standby)
    })
    .await
}

/// A physical slot nobody consumes that reserves WAL from now on: the disk fills behind it.
pub async fn idle_slot(cluster: &Cluster, name: &str) -> Result<(), LabError> {
    let admin = cluster
        .connect("postgres", "postgres", "pgscope-lab")
        .await?;
    admin
        .execute(
            "SELECT pg_create_physical_replication_slot($1, true)",
            &[&name],
        )
        .await
        .map_err(|e| LabError::db(format!("create slot {name}"), e))
        .map(drop)
}

/// Logical replication of `table` from `publisher_db` to `subscriber_db` (created, with the
/// table made by `ddl`) in the same cluster, all objects named `name`. Needs
/// `wal_level = logical`. The slot is created apart and the subscription copies no data: a
/// subscription that creates its slot in its own cluster waits for itself, and a table sync
/// slot waits for every open transaction.
pub async fn logical_pair(
    cluster: &Cluster,
    publisher_db: &str,
    subscriber_db: &str,
    table: &str,
    ddl: &str,
    name: &str,
) -> Result<(), LabError> {
    let publisher = cluster
        .connect(publisher_db, "postgres", "pgscope-lab")
        .await?;
    let sql = format!(
        "CREATE PUBLICATION {} FOR TABLE {}",
        ident(name),
        ident(table)
    );
    publisher
        .batch_execute(&sql)
        .await
        .map_err(|e| LabError::db("create publication", e))?;
    publisher
        .execute(
            "SELECT pg_create_logical_replication_slot($1, 'pgoutput')",
            &[&name],
        )
        .await
        .map_err(|e| LabError::db("create logical slot", e))?;
    let admin = cluster
        .connect("postgres", "postgres", "pgscope-lab")
        .await?;
    admin
        .batch_execute(&format!("CREATE DATABASE {}", ident(subscriber_db)))
        .await
        .map_err(|e| LabError::db("create subscriber database", e))?;
    let subscriber = cluster
        .connect(subscriber_db, "postgres", "pgscope-lab")
        .await?;
    subscriber
        .batch_execute(ddl)
        .await
        .map_err(|e| LabError::db("create subscriber table", e))?;
    let conninfo = format!(
        "host={} port={} user=postgres dbname={publisher_db}",
        cluster.socket_dir().display(),
        cluster.port()
    );
    let sql = format!(
        "CREATE SUBSCRIPTION {n} CONNECTION {c} PUBLICATION {n} \
         WITH (create_slot = false, slot_name = {s}, copy_data = false)",
        n = ident(name),
        c = literal(&conninfo),
        s = literal(name),
    );
    subscriber
        .batch_execute(&sql)
        .await
        .map_err(|e| LabError::db("create subscription", e))
}

/// What the demo runs besides the primary: kept alive by the workload, stopped with it.
#[derive(Debug)]
pub(crate) struct Demo {
    _standby: Cluster,
}

/// A standby that applies with a delay (so its lag is visible and moves with the write load),
/// an inactive slot retaining WAL, and a logical subscription of `orders` into `shop_replica`.
pub(crate) async fn start_demo(primary: &Cluster) -> Result<Demo, LabError> {
    idle_slot(primary, "forgotten_standby").await?;
    let _ = logical_pair(
        primary,
        super::DB,
        "shop_replica",
        "orders",
        "CREATE TABLE orders (id int PRIMARY KEY, account_id int NOT NULL, amount int NOT NULL, \
         status text NOT NULL, created_at timestamptz NOT NULL)",
        "shop_sub",
    )
    .await;
    let opts = ClusterOptions {
        settings: vec![
            ("recovery_min_apply_delay".into(), "2s".into()),
            ("hot_standby_feedback".into(), "on".into()),
        ],
    };
    let standby = start_standby(primary, "standby1", &opts).await?;
    Ok(Demo { _standby: standby })
}

/// pg_basebackup of the cluster's own install, else the newest installed one that is not
/// older than the server (it refuses newer servers).
fn basebackup_bin(primary: &Cluster) -> Option<PathBuf> {
    let own = primary.bins().bin("pg_basebackup");
    if own.is_file() {
        return Some(own);
    }
    let major = primary.major();
    let mut found: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let n: u32 = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin/pg_basebackup");
            (n >= major && bin.is_file()).then_some((n, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

/// The low-level backup: a slot reserving WAL first, then backup start, a copy of the files
/// (WAL and slots left out: the standby streams what it needs through its slot), backup stop
/// with its label, and the standby's settings.
async fn copy_backup(primary: &Cluster, standby: &Cluster, slot: &str) -> Result<(), LabError> {
    let admin = primary
        .connect("postgres", "postgres", "pgscope-lab")
        .await?;
    let db = |what: &'static str| move |e| LabError::db(what, e);
    admin
        .execute(
            "SELECT pg_create_physical_replication_slot($1, true)",
            &[&slot],
        )
        .await
        .map_err(db("create slot"))?;
    let (start, stop) = if primary.major() >= 15 {
        (
            "SELECT pg_backup_start('pgscope-lab', true)",
            "SELECT labelfile FROM pg_backup_stop()",
        )
    } else {
        (
            "SELECT pg_start_backup('pgscope-lab', true, false)",
            "SELECT labelfile FROM pg_stop_backup(false)",
        )
    };
    admin
        .batch_execute(start)
        .await
        .map_err(db("backup start"))?;
    let (from, to, root, run_as) = (
        primary.data_dir().to_owned(),
        standby.data_dir().to_owned(),
        standby.socket_dir().to_owned(),
        standby.run_as(),
    );
    blocking(move || copy_files(&from, &to, &root, run_as)).await?;
    let label: String = admin
        .query_one(stop, &[])
        .await
        .map_err(db("backup stop"))?
        .try_get(0)
        .map_err(db("backup label"))?;
    let data = standby.data_dir();
    write_owned(&data.join("backup_label"), &label, standby.run_as())?;
    write_owned(&data.join("standby.signal"), "", standby.run_as())
}

/// Points the standby at the primary through `slot` (later lines of the file win).
fn follow(primary: &Cluster, standby: &Cluster, slot: &str) -> Result<(), LabError> {
    let auto = standby.data_dir().join("postgresql.auto.conf");
    let mut conf =
        fs::read_to_string(&auto).map_err(|e| LabError::io(auto.display().to_string(), e))?;
    let conninfo = format!(
        "host={} port={} user=postgres",
        primary.socket_dir().display(),
        primary.port()
    );
    let _ = writeln!(conf, "primary_conninfo = {}", literal(&conninfo));
    let _ = writeln!(conf, "primary_slot_name = {}", literal(slot));
    fs::write(&auto, conf).map_err(|e| LabError::io(auto.display().to_string(), e))
}

fn copy_files(from: &Path, to: &Path, root: &Path, run_as: Option<RunAs>) -> Result<(), LabError> {
    const SKIP: [&str; 4] = ["pg_wal", "pg_replslot", "postmaster.pid", "postmaster.opts"];
    let entries = fs::read_dir(from).map_err(|e| LabError::io(from.display().to_string(), e))?;
    let mut copy = sys::server_command(Path::new("cp"), run_as, root);
    copy.arg("-a");
    for entry in entries {
        let entry = entry.map_err(|e| LabError::io(from.display().to_string(), e))?;
        if !SKIP.iter().any(|s| entry.file_name() == *s) {
            copy.arg(entry.path());
        }
    }
    copy.arg(to);
    let mkdir = |dir: &Path| {
        sys::run(
            sys::server_command(Path::new("mkdir"), run_as, root)
                .args(["-m", "700"])
                .arg(dir),
        )
        .map(drop)
    };
    mkdir(to)?;
    sys::run(&mut copy)?;
    mkdir(&to.join("pg_wal"))?;
    mkdir(&to.join("pg_wal/archive_status"))?;
    mkdir(&to.join("pg_replslot"))
}

/// Writes a file the server must own (we may be root).
fn write_owned(path: &Path, text: &str, run_as: Option<RunAs>) -> Result<(), LabError> {
    fs::write(path, text).map_err(|e| LabError::io(path.display().to_string(), e))?;
    if let Some(RunAs { uid, gid }) = run_as {
        std::os::unix::fs::chown(path, Some(uid), Some(gid))
            .map_err(|e| LabError::io(format!("chown {}", path.display()), e))?;
    }
    Ok(())
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, LabError> + Send + 'static,
) -> Result<T, LabError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| LabError::Invalid(format!("background task failed: {e}")))?
}

fn ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}
