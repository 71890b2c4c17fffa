//! A real PgBouncer in front of a lab cluster, on a free port, stopped and cleaned up on drop.
//!
//! Config, auth file and log live in a fresh directory inside the cluster's temp dir. As root
//! the pooler runs as the server's OS user (PgBouncer refuses root, like postgres). It runs in
//! the foreground as our child, so stopping it never depends on a pid file.

use std::fmt::Write as _;
use std::fs;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tempfile::TempDir;

use super::cluster::free_port;
use super::sys::{self, RunAs};
use super::{Cluster, LabError};

/// Where Debian's package installs it.
const DEFAULT_BIN: &str = "/usr/sbin/pgbouncer";
const START_ATTEMPTS: usize = 5;
const READY_WITHIN: Duration = Duration::from_secs(15);

/// How clients log in to the pooler (its `auth_type`); passwords come from [`PoolerOptions::users`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PoolerAuth {
    /// No password is asked; the user must still be listed in the auth file.
    Trust,
    Md5,
    ScramSha256,
}

/// The pooler's knobs. `Default` is a transaction pooler in front of `postgres`, trusting the
/// `postgres` user, who is also its admin.
#[derive(Debug, Clone)]
pub struct PoolerOptions {
    /// Cluster databases reachable through the pooler under the same names.
    pub databases: Vec<String>,
    /// `session`, `transaction` or `statement`.
    pub pool_mode: String,
    /// `default_pool_size`.
    pub pool_size: u32,
    pub reserve_pool: u32,
    pub max_client_conn: u32,
    /// 0: unlimited.
    pub max_db_connections: u32,
    pub admin_users: Vec<String>,
    pub stats_users: Vec<String>,
    pub auth: PoolerAuth,
    /// (name, plain password) written to the auth file. Users connecting through the pooler
    /// to the cluster need no password there: the lab cluster trusts local TCP.
    pub users: Vec<(String, String)>,
}

impl Default for PoolerOptions {
    fn default() -> Self {
        PoolerOptions {
            databases: vec!["postgres".to_owned()],
            pool_mode: "transaction".to_owned(),
            pool_size: 20,
            reserve_pool: 0,
            max_client_conn: 100,
            max_db_connections: 0,
            admin_users: vec!["postgres".to_owned()],
            stats_users: Vec::new(),
            auth: PoolerAuth::Trust,
            users: vec![("postgres".to_owned(), "postgres".to_owned())],
        }
    }
}

/// A running PgBouncer. Dropping it kills the process and removes its directory.
#[derive(Debug)]
pub struct PgBouncer {
    child: Option<Child>,
    /// `Some` until drop.
    dir: Option<TempDir>,
    bin: PathBuf,
    port: u16,
    run_as: Option<RunAs>,
}

impl PgBouncer {
    /// The PgBouncer binary: `$PGSCOPE_PGBOUNCER` (a path that is not a file means "none",
    /// e.g. to run the demo without a pooler), else Debian's path, else `pgbouncer` on PATH.
    pub fn find_binary() -> Option<PathBuf> {
        if let Some(p) = std::env::var_os("PGSCOPE_PGBOUNCER").filter(|p| !p.is_empty()) {
            return Some(PathBuf::from(p)).filter(|p| p.is_file());
        }
        if Path::new(DEFAULT_BIN).is_file() {
            return Some(PathBuf::from(DEFAULT_BIN));
        }
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join("pgbouncer"))
                .find(|p| p.is_file())
        })
    }

    /// Starts PgBouncer in front of `cluster` on a free port (blocking until it accepts TCP).
    pub fn start(cluster: &Cluster, opts: &PoolerOptions) -> Result<PgBouncer, LabError> {
        let bin = Self::find_binary().ok_or_else(|| LabError::NoBinaries {
            looked: format!("{DEFAULT_BIN}, $PGSCOPE_PGBOUNCER, PATH (pgbouncer)"),
        })?;
        let run_as = cluster.run_as();
        let dir = tempfile::Builder::new()
            .prefix("pgb-")
            .tempdir_in(cluster.socket_dir())
            .map_err(|e| LabError::io("create the pooler's directory", e))?;
        if let Some(RunAs { uid, gid }) = run_as {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))
                .map_err(|e| LabError::io(format!("chown {}", dir.path().display()), e))?;
        }
        let mut pooler = PgBouncer {
            child: None,
            dir: Some(dir),
            bin,
            port: 0,
            run_as,
        };
        pooler.write_file("users.txt", &auth_file(&opts.users)?)?;
        for attempt in 1..=START_ATTEMPTS {
            pooler.port = free_port()?;
            pooler.write_file("pgbouncer.ini", &config(cluster, opts, &pooler)?)?;
            match pooler.launch() {
                Ok(()) => return Ok(pooler),
                // Parallel tests race for ports between our probe and the pooler's bind.
                Err(_) if attempt < START_ATTEMPTS && pooler.log().contains("in use") => {}
                Err(e) => return Err(e),
            }
        }
        Err(pooler.start_error("no free port"))
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A libpq conninfo for the admin console (`dbname=pgbouncer`) as `user`, over TCP.
    pub fn admin_conninfo(&self, user: &str) -> String {
        self.conninfo("pgbouncer", user)
    }

    /// A libpq conninfo for `dbname` through the pooler as `user`, over TCP.
    pub fn conninfo(&self, dbname: &str, user: &str) -> String {
        format!(
            "host=127.0.0.1 port={} dbname={dbname} user={user}",
            self.port
        )
    }

    /// The pooler's log (its own file, plus anything it wrote to stderr before opening it).
    pub fn log(&self) -> String {
        let Some(dir) = &self.dir else {
            return String::new();
        };
        ["stderr.log", "pgbouncer.log"]
            .iter()
            .filter_map(|f| fs::read(dir.path().join(f)).ok())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect()
    }

    /// Kills the pooler (every client and server connection drops), then starts it again on
    /// the same port with the same config: what an operator's restart looks like to clients.
    pub fn restart(&mut self) -> Result<(), LabError> {
        self.kill();
        self.launch()
    }

    /// Kills the pooler and waits for it; [`PgBouncer::restart`] brings it back.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir
            .as_ref()
            .map_or_else(PathBuf::new, |d| d.path().join(name))
    }

    /// Writes a file the pooler's user can read and nobody else (the auth file holds passwords).
    fn write_file(&self, name: &str, text: &str) -> Result<(), LabError> {
        use std::os::unix::fs::PermissionsExt;
        let path = self.path(name);
        let what = || path.display().to_string();
        fs::write(&path, text).map_err(|e| LabError::io(what(), e))?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600))
            .map_err(|e| LabError::io(what(), e))?;
        if let Some(RunAs { uid, gid }) = self.run_as {
            std::os::unix::fs::chown(&path, Some(uid), Some(gid))
                .map_err(|e| LabError::io(what(), e))?;
        }
        Ok(())
    }

    /// Spawns the pooler in the foreground and waits until its port accepts connections.
    fn launch(&mut self) -> Result<(), LabError> {
        let stderr = fs::File::create(self.path("stderr.log"))
            .map_err(|e| LabError::io("create the pooler's stderr log", e))?;
        let cwd = self.path("");
        let mut cmd: Command = sys::server_command(&self.bin, self.run_as, &cwd);
        cmd.arg(self.path("pgbouncer.ini"))
            .stdout(Stdio::null())
            .stderr(stderr);
        let child = cmd
            .spawn()
            .map_err(|e| LabError::io(format!("cannot run {}", self.bin.display()), e))?;
        self.child = Some(child);
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return Ok(());
            }
            let exited = self
                .child
                .as_mut()
                .map_or(Ok(None), Child::try_wait)
                .map_err(|e| LabError::io("wait for the pooler", e))?;
            if let Some(status) = exited {
                self.child = None;
                return Err(self.start_error(&format!("pgbouncer exited ({status})")));
            }
            if Instant::now() > deadline {
                self.kill();
                return Err(self.start_error("pgbouncer did not accept connections in time"));
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn start_error(&self, reason: &str) -> LabError {
        LabError::Start {
            reason: reason.to_owned(),
            log_tail: sys::tail(&self.log(), 15),
        }
    }
}

impl Drop for PgBouncer {
    fn drop(&mut self) {
        self.kill();
        if let Some(dir) = self.dir.take() {
            let _ = dir.close();
        }
    }
}

/// `pgbouncer.ini`: databases forwarded over TCP (so the backends' `client_port` is the
/// pooler's `local_port`), no unix socket (a killed pooler would leave its file behind).
fn config(cluster: &Cluster, opts: &PoolerOptions, pooler: &PgBouncer) -> Result<String, LabError> {
    let mut ini = String::from("[databases]\n");
    for db in &opts.databases {
        check_name(db)?;
        let _ = writeln!(
            ini,
            "{db} = host=127.0.0.1 port={} dbname={db}",
            cluster.port()
        );
    }
    for name in opts.admin_users.iter().chain(&opts.stats_users) {
        check_name(name)?;
    }
    check_name(&opts.pool_mode)?;
    let auth_type = match opts.auth {
        PoolerAuth::Trust => "trust",
        PoolerAuth::Md5 => "md5",
        PoolerAuth::ScramSha256 => "scram-sha-256",
    };
    let settings = [
        ("listen_addr", "127.0.0.1".to_owned()),
        ("listen_port", pooler.port.to_string()),
        ("unix_socket_dir", String::new()),
        ("auth_type", auth_type.to_owned()),
        ("auth_file", pooler.path("users.txt").display().to_string()),
        ("admin_users", opts.admin_users.join(",")),
        ("stats_users", opts.stats_users.join(",")),
        ("pool_mode", opts.pool_mode.clone()),
        ("default_pool_size", opts.pool_size.to_string()),
        ("reserve_pool_size", opts.reserve_pool.to_string()),
        ("max_client_conn", opts.max_client_conn.to_string()),
        ("max_db_connections", opts.max_db_connections.to_string()),
        (
            "logfile",
            pooler.path("pgbouncer.log").display().to_string(),
        ),
        // Clients (pgscope, psql, tokio-postgres) may send these; the pooler must not refuse.
        (
            "ignore_startup_parameters",
            "extra_float_digits,options".to_owned(),
        ),
    ];
    ini.push_str("\n[pgbouncer]\n");
    for (key, value) in settings {
        let _ = writeln!(ini, "{key} = {value}");
    }
    Ok(ini)
}

/// The auth file: `"name" "password"` lines; a `"` inside is doubled, as PgBouncer reads it.
fn auth_file(users: &[(String, String)]) -> Result<String, LabError> {
    let mut text = String::new();
    for (name, password) in users {
        check_name(name)?;
        let _ = writeln!(text, "\"{name}\" \"{}\"", password.replace('"', "\"\""));
    }
    Ok(text)
}

/// Lab names go into an ini file unquoted: keep them to identifier characters.
fn check_name(name: &str) -> Result<(), LabError> {
    if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        Ok(())
    } else {
        Err(LabError::Invalid(format!("bad pooler name {name:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::{auth_file, check_name};

    #[test]
    fn auth_file_quotes_passwords() {
        let users = [("app".to_owned(), "a\"b".to_owned())];
        assert_eq!(auth_file(&users).unwrap(), "\"app\" \"a\"\"b\"\n");
    }

    #[test]
    fn names_must_be_plain() {
        assert!(check_name("app_rw").is_ok());
        assert!(check_name("a b").is_err());
        assert!(check_name("x\ny").is_err());
        assert!(check_name("").is_err());
    }
}
