//! One private, throwaway `PostgreSQL` server in `/tmp/pgs-XXXXXX`, stopped and deleted on drop.

use std::fmt::Write as _;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use tempfile::TempDir;
use tokio_postgres::{Client, NoTls};

use super::sys::{self, RunAs};
use super::{LabError, PgBinaries};

const START_ATTEMPTS: usize = 5;

/// Extra server settings, written to `postgresql.conf` after the lab defaults (so they win).
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    pub settings: Vec<(String, String)>,
}

/// A running server. Dropping it stops the server (`-m immediate`) and removes its directory.
#[derive(Debug)]
pub struct Cluster {
    /// `Some` until drop; owns the directory that holds data, log and socket.
    dir: Option<TempDir>,
    root: PathBuf,
    data: PathBuf,
    log: PathBuf,
    port: u16,
    bins: PgBinaries,
    run_as: Option<RunAs>,
}

/// Where a cluster listens: a cheap, `'static` handle for tasks that outlive a `&Cluster`.
#[derive(Debug, Clone)]
pub(crate) struct Endpoint {
    socket_dir: PathBuf,
    port: u16,
}

impl Cluster {
    /// Runs initdb in a fresh temp dir and starts the server on a free port (blocking).
    pub fn start(bins: &PgBinaries, opts: &ClusterOptions) -> Result<Cluster, LabError> {
        let mut cluster = Cluster::empty(bins)?;
        sys::run(cluster.tool("initdb").arg("-D").arg(&cluster.data).args([
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        ]))?;
        cluster.launch(opts)?;
        Ok(cluster)
    }

    /// A fresh temp dir owned by the server user, with no data directory yet. Dropping it
    /// removes the directory (and stops a server started in it).
    pub(super) fn empty(bins: &PgBinaries) -> Result<Cluster, LabError> {
        let run_as = sys::server_user()?;
        let dir = tempfile::Builder::new()
            .prefix("pgs-")
            .tempdir_in("/tmp")
            .map_err(|e| LabError::io("create temp dir in /tmp", e))?;
        let root = dir.path().to_owned();
        if let Some(RunAs { uid, gid }) = run_as {
            std::os::unix::fs::chown(&root, Some(uid), Some(gid))
                .map_err(|e| LabError::io(format!("chown {}", root.display()), e))?;
        }
        // Built before initdb so that every later error path drops it, and so cleans up.
        Ok(Cluster {
            dir: Some(dir),
            data: root.join("data"),
            log: root.join("log"),
            root,
            port: 0,
            bins: bins.clone(),
            run_as,
        })
    }

    /// Writes the lab settings over the data directory's and starts the server on a free port.
    pub(super) fn launch(&mut self, opts: &ClusterOptions) -> Result<(), LabError> {
        self.write_settings(opts)?;
        for attempt in 1..=START_ATTEMPTS {
            self.port = free_port()?;
            match self.pg_ctl_start() {
                Ok(()) => return Ok(()),
                // Parallel tests race for ports between our probe and the server's bind.
                Err(_) if attempt < START_ATTEMPTS && self.port_clash() => {}
                Err(e) => return Err(self.start_error(&e)),
            }
        }
        Err(self.start_error(&"no free port"))
    }

    pub(super) fn bins(&self) -> &PgBinaries {
        &self.bins
    }

    pub(super) fn run_as(&self) -> Option<RunAs> {
        self.run_as
    }

    /// `pg_ctl promote -w`: a standby leaves recovery and becomes a primary.
    pub fn promote(&self) -> Result<(), LabError> {
        sys::run(&mut self.pg_ctl("promote")).map(drop)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The unix socket directory (also the cluster's root temp dir).
    pub fn socket_dir(&self) -> &Path {
        &self.root
    }

    pub fn data_dir(&self) -> &Path {
        &self.data
    }

    pub fn log_path(&self) -> &Path {
        &self.log
    }

    pub fn major(&self) -> u32 {
        self.bins.major
    }

    /// The postmaster's pid from `postmaster.pid`, if the server looks started.
    pub fn postmaster_pid(&self) -> Option<i32> {
        let text = fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// A libpq conninfo string for this server, as user `postgres`.
    pub fn conninfo(&self, dbname: &str) -> String {
        format!(
            "host={} port={} user=postgres dbname={dbname}",
            self.root.display(),
            self.port
        )
    }

    /// A tokio-postgres config over the unix socket.
    pub fn pg_config(&self, dbname: &str, user: &str) -> tokio_postgres::Config {
        self.endpoint().config(dbname, user, "pgscope-lab")
    }

    /// Connects over the socket (`NoTls`) and spawns the connection task on the current runtime.
    pub async fn connect(
        &self,
        dbname: &str,
        user: &str,
        application_name: &str,
    ) -> Result<Client, LabError> {
        self.endpoint()
            .connect(dbname, user, application_name)
            .await
    }

    pub(crate) fn endpoint(&self) -> Endpoint {
        Endpoint {
            socket_dir: self.root.clone(),
            port: self.port,
        }
    }

    /// Stops the server and removes its directory (same as dropping it).
    pub fn stop(self) {}

    /// `pg_ctl restart -m fast`: all sessions are disconnected, the port stays the same.
    pub fn restart(&self) -> Result<(), LabError> {
        sys::run(self.pg_ctl("restart").args(["-m", "fast"])).map(drop)
    }

    /// `pg_ctl stop -m fast`, keeping the data directory for [`Cluster::start_again`].
    pub fn stop_fast(&self) -> Result<(), LabError> {
        sys::run(self.pg_ctl("stop").args(["-m", "fast"])).map(drop)
    }

    /// Starts a server stopped by [`Cluster::stop_fast`] (or killed) again on the same port.
    pub fn start_again(&self) -> Result<(), LabError> {
        self.pg_ctl_start().map_err(|e| self.start_error(&e))
    }

    pub(super) fn tool(&self, name: &str) -> Command {
        sys::server_command(&self.bins.bin(name), self.run_as, &self.root)
    }

    /// `pg_ctl <action>` with -w; port on -o because it is the only setting that varies by attempt.
    fn pg_ctl(&self, action: &str) -> Command {
        let mut cmd = self.tool("pg_ctl");
        cmd.arg("-D").arg(&self.data).arg("-l").arg(&self.log);
        cmd.args(["-w", "-t", "60", "-o", &format!("-p {}", self.port), action]);
        cmd
    }

    fn pg_ctl_start(&self) -> Result<(), LabError> {
        sys::run(&mut self.pg_ctl("start")).map(drop)
    }

    fn write_settings(&self, opts: &ClusterOptions) -> Result<(), LabError> {
        let sock = self.root.display().to_string();
        let mut conf = String::from("\n# pgscope lab\n");
        let defaults = [
            ("listen_addresses", "127.0.0.1"),
            ("unix_socket_directories", sock.as_str()),
            ("fsync", "off"),
            ("shared_preload_libraries", "pg_stat_statements"),
            ("max_prepared_transactions", "5"),
        ];
        let extra = opts.settings.iter().map(|(n, v)| (n.as_str(), v.as_str()));
        for (name, value) in defaults.into_iter().chain(extra) {
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "_.".contains(c))
            {
                return Err(LabError::Invalid(format!("bad setting name {name:?}")));
            }
            let value = value.replace('\\', "\\\\").replace('\'', "''");
            let _ = writeln!(conf, "{name} = '{value}'");
        }
        // Appending keeps the file's owner (postgres) even though we may be root.
        let path = self.data.join("postgresql.conf");
        let mut text =
            fs::read_to_string(&path).map_err(|e| LabError::io(path.display().to_string(), e))?;
        text.push_str(&conf);
        fs::write(&path, text).map_err(|e| LabError::io(path.display().to_string(), e))
    }

    fn log_text(&self) -> String {
        fs::read(&self.log)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    fn port_clash(&self) -> bool {
        let log = self.log_text();
        [
            "could not bind",
            "Address already in use",
            "could not create any TCP/IP sockets",
        ]
        .iter()
        .any(|needle| log.contains(needle))
    }

    fn start_error(&self, reason: &dyn std::fmt::Display) -> LabError {
        LabError::Start {
            reason: reason.to_string(),
            log_tail: sys::tail(&self.log_text(), 15),
        }
    }

    /// Best effort and never panics: it runs on every exit path, including unwinding.
    fn shutdown(&self) {
        let stopped = sys::run(self.pg_ctl("stop").args(["-m", "immediate"])).is_ok();
        if let Some(pid) = self.postmaster_pid().filter(|_| !stopped) {
            sys::kill_hard(pid);
            let deadline = Instant::now() + Duration::from_secs(3);
            while sys::pid_alive(pid) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        if let Some(dir) = self.dir.take() {
            self.shutdown();
            let _ = dir.close();
        }
    }
}

impl Endpoint {
    /// The TCP port (the server also listens on 127.0.0.1).
    pub(crate) fn port(&self) -> u16 {
        self.port
    }

    pub(crate) fn config(&self, dbname: &str, user: &str, app: &str) -> tokio_postgres::Config {
        let mut config = tokio_postgres::Config::new();
        config
            .host_path(&self.socket_dir)
            .port(self.port)
            .user(user)
            .dbname(dbname)
            .application_name(app)
            .connect_timeout(Duration::from_secs(5));
        config
    }

    pub(crate) async fn connect(
        &self,
        dbname: &str,
        user: &str,
        app: &str,
    ) -> Result<Client, LabError> {
        let (client, connection) = self
            .config(dbname, user, app)
            .connect(NoTls)
            .await
            .map_err(|e| LabError::db(format!("connect to {dbname} as {user}"), e))?;
        // Connection errors surface through the client; nothing may print (the TUI owns stdout).
        tokio::spawn(async move {
            let _ = connection.await;
        });
        Ok(client)
    }
}

/// A port the kernel just considered free; the caller retries if someone takes it first.
pub(super) fn free_port() -> Result<u16, LabError> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| LabError::io("probe a free port", e))?;
    listener
        .local_addr()
        .map(|a| a.port())
        .map_err(|e| LabError::io("probe a free port", e))
}
