//! The resolved connection target and the `tokio_postgres::Config` built from it.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio_postgres::Config;
use tokio_postgres::config::{ChannelBinding, SslMode};

use super::socket::socket_path;
use super::tls::{self, TlsSettings};

/// One entry of the host list, tried in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Endpoint {
    Socket {
        dir: PathBuf,
        port: u16,
    },
    /// `host` is the name given (or the address text when only `hostaddr` was given); `addr`,
    /// from `hostaddr`, skips the DNS lookup.
    Tcp {
        host: String,
        addr: Option<IpAddr>,
        port: u16,
    },
}

impl Endpoint {
    /// `socket "/tmp/.s.PGSQL.5432"` or `host "db1" port 5432`.
    pub(super) fn describe(&self) -> String {
        match self {
            Self::Socket { dir, port } => {
                format!("socket \"{}\"", socket_path(dir, *port).display())
            }
            Self::Tcp { host, port, .. } => format!("host \"{host}\" port {port}"),
        }
    }

    /// libpq's words for where a connection failed: `on socket "..."` or
    /// `at "db1" (10.0.0.1), port 5432` (the address only when it differs from the name).
    pub(super) fn at(&self, addr: Option<IpAddr>) -> String {
        match self {
            Self::Socket { dir, port } => {
                format!("on socket \"{}\"", socket_path(dir, *port).display())
            }
            Self::Tcp { host, port, .. } => match addr.map(|a| a.to_string()) {
                Some(a) if a != *host => format!("at \"{host}\" ({a}), port {port}"),
                _ => format!("at \"{host}\", port {port}"),
            },
        }
    }
}

/// libpq's target_session_attrs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SessionAttrs {
    Any,
    ReadWrite,
    ReadOnly,
    Primary,
    Standby,
    /// Standby if any host is one, else any.
    PreferStandby,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Keepalives {
    pub(super) enabled: bool,
    pub(super) idle: Option<Duration>,
    pub(super) interval: Option<Duration>,
    pub(super) count: Option<u32>,
}

/// The resolved target: ready to connect, plus a human description for messages.
#[derive(Clone)]
pub struct Target {
    pub(super) endpoints: Vec<Endpoint>,
    /// From the password file, one per endpoint; used when `password` is `None`.
    pub(super) host_passwords: Vec<Option<String>>,
    pub(super) passfile: Option<PathBuf>,
    pub(super) user: String,
    pub(super) dbname: String,
    /// Given explicitly (conninfo, PGPASSWORD, prompt).
    pub(super) password: Option<String>,
    /// `None`: no client-side deadline (libpq's `connect_timeout=0`).
    pub(super) connect_timeout: Option<Duration>,
    pub(super) application_name: Option<String>,
    pub(super) fallback_application_name: Option<String>,
    pub(super) options: Option<String>,
    pub(super) tls: TlsSettings,
    pub(super) channel_binding: ChannelBinding,
    pub(super) keepalives: Keepalives,
    pub(super) tcp_user_timeout: Option<Duration>,
    pub(super) session_attrs: SessionAttrs,
    /// `load_balance_hosts=random`.
    pub(super) load_balance: bool,
    pub(super) warnings: Vec<String>,
}

impl Target {
    /// All hosts in order. `application_name` is the program's name, used like psql's
    /// `fallback_application_name`: an `application_name` given by the user (conninfo or
    /// PGAPPNAME) wins.
    pub fn config(&self, application_name: &str) -> Config {
        let mut cfg = self.base_config(application_name);
        // tokio-postgres wants all hosts or none to carry a hostaddr; with a mix, names are used
        // (`connect` handles the mix exactly, host by host).
        let all_addrs = self
            .endpoints
            .iter()
            .all(|e| matches!(e, Endpoint::Tcp { addr: Some(_), .. }));
        for endpoint in &self.endpoints {
            let addr = if all_addrs { addr_of(endpoint) } else { None };
            add_endpoint(&mut cfg, endpoint, addr);
        }
        cfg
    }

    /// Everything but hosts and ports.
    pub(super) fn base_config(&self, application_name: &str) -> Config {
        let mut cfg = Config::new();
        let ssl_mode = match self.tls.mode {
            tls::SslMode::Disable | tls::SslMode::Allow => SslMode::Disable,
            tls::SslMode::Prefer => SslMode::Prefer,
            _ => SslMode::Require,
        };
        cfg.user(&self.user)
            .dbname(&self.dbname)
            .ssl_mode(ssl_mode)
            .channel_binding(self.channel_binding);
        if let Some(p) = &self.password {
            cfg.password(p);
        }
        if let Some(o) = &self.options {
            cfg.options(o);
        }
        let app = [self.application_name.as_deref(), Some(application_name)]
            .into_iter()
            .flatten()
            .chain(self.fallback_application_name.as_deref())
            .find(|a| !a.is_empty());
        if let Some(app) = app {
            cfg.application_name(app);
        }
        if let Some(t) = self.connect_timeout {
            cfg.connect_timeout(t);
        }
        cfg.keepalives(self.keepalives.enabled);
        if let Some(d) = self.keepalives.idle {
            cfg.keepalives_idle(d);
        }
        if let Some(d) = self.keepalives.interval {
            cfg.keepalives_interval(d);
        }
        if let Some(n) = self.keepalives.count {
            cfg.keepalives_retries(n);
        }
        if let Some(d) = self.tcp_user_timeout {
            cfg.tcp_user_timeout(d);
        }
        cfg
    }

    /// The first host, e.g. `socket "/tmp/.s.PGSQL.5432"` or `host "db1" port 5432`. Never
    /// includes a password.
    pub fn describe(&self) -> String {
        let first = self
            .endpoints
            .first()
            .map(Endpoint::describe)
            .unwrap_or_default();
        match self.endpoints.len() {
            0 | 1 => first,
            n => format!("{first} (+{} more)", n - 1),
        }
    }

    pub fn dbname(&self) -> &str {
        &self.dbname
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    /// Same target, another database (EXPLAIN runs in the backend's own database).
    #[must_use]
    pub fn with_dbname(&self, dbname: &str) -> Target {
        Target {
            dbname: dbname.to_owned(),
            ..self.clone()
        }
    }

    /// A password is known for the first host without asking (given, or in the password file).
    pub fn has_password(&self) -> bool {
        self.password.is_some() || self.host_passwords.first().is_some_and(Option::is_some)
    }

    /// Uses `password` for every host from now on (a prompt's answer); it wins over the file.
    pub fn set_password(&mut self, password: String) {
        self.password = Some(password);
    }

    /// A short label for a list of servers: `db1:5432`, or `local:5433` for a unix socket;
    /// `+n` when more hosts follow. Never includes a password.
    pub fn short_name(&self) -> String {
        let first = match self.endpoints.first() {
            Some(Endpoint::Socket { port, .. }) => format!("local:{port}"),
            Some(Endpoint::Tcp { host, port, .. }) => format!("{host}:{port}"),
            None => String::new(),
        };
        match self.endpoints.len() {
            0 | 1 => first,
            n => format!("{first}+{}", n - 1),
        }
    }

    /// The client-side connect deadline (`connect_timeout`); `None`: none.
    pub fn connect_timeout(&self) -> Option<Duration> {
        self.connect_timeout
    }

    /// Gives the target a connect deadline when the user set none (a list of servers must not
    /// wait forever on one that never answers).
    pub fn or_connect_timeout(&mut self, deadline: Duration) {
        self.connect_timeout.get_or_insert(deadline);
    }

    /// Things the operator should know before connecting (e.g. a password on the command line).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }
}

fn addr_of(endpoint: &Endpoint) -> Option<IpAddr> {
    match endpoint {
        Endpoint::Tcp { addr, .. } => *addr,
        Endpoint::Socket { .. } => None,
    }
}

/// Adds one host (and its port) to `cfg`; `addr` overrides the endpoint's own hostaddr.
pub(super) fn add_endpoint(cfg: &mut Config, endpoint: &Endpoint, addr: Option<IpAddr>) {
    match endpoint {
        Endpoint::Socket { dir, port } => {
            cfg.host_path(dir).port(*port);
        }
        Endpoint::Tcp { host, port, .. } => {
            cfg.host(host).port(*port);
            if let Some(a) = addr {
                cfg.hostaddr(a);
            }
        }
    }
}

/// Manual so that the password never reaches a log or panic message.
impl fmt::Debug for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Target")
            .field("endpoints", &self.endpoints)
            .field("user", &self.user)
            .field("dbname", &self.dbname)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .field("connect_timeout", &self.connect_timeout)
            .field("application_name", &self.application_name)
            .field("options", &self.options)
            .field(
                "host_passwords",
                &self
                    .host_passwords
                    .iter()
                    .map(|p| p.as_ref().map(|_| "<redacted>"))
                    .collect::<Vec<_>>(),
            )
            .field("passfile", &self.passfile)
            .field("tls", &self.tls)
            .field("session_attrs", &self.session_attrs)
            .field("load_balance", &self.load_balance)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}
