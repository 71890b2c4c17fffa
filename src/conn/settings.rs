//! From the merged keyword map to a typed [`Target`]: value validation and defaults.

use std::net::IpAddr;
use std::path::PathBuf;
use std::time::Duration;

use tokio_postgres::config::{SslMode, TargetSessionAttrs};

use super::error::ConnError;
use super::params::Params;
use super::target::{Endpoint, Keepalives, Target};
use super::{os_user, socket};

const DEFAULT_PORT: u16 = 5432;
/// Client-side deadline per host when `connect_timeout` is not given: a frozen server never
/// answers, and libpq's default (wait forever) would hang the tool.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) fn build(
    params: &Params,
    env: &dyn Fn(&str) -> Option<String>,
    socket_dirs: &[&str],
    warnings: Vec<String>,
) -> Result<Target, ConnError> {
    let user = match params.get("user") {
        Some(u) => u.to_owned(),
        None => os_user::name(env).ok_or_else(|| {
            ConnError::Invalid("could not determine the local user name; give one with -U".into())
        })?,
    };
    let dbname = params.get("dbname").unwrap_or(&user).to_owned();
    Ok(Target {
        endpoints: endpoints(params, socket_dirs)?,
        dbname,
        user,
        password: params.get("password").map(str::to_owned),
        connect_timeout: connect_timeout(params)?,
        application_name: params.get("application_name").map(str::to_owned),
        fallback_application_name: params.get("fallback_application_name").map(str::to_owned),
        options: params.get("options").map(str::to_owned),
        ssl_mode: ssl_mode(params)?,
        keepalives: keepalives(params)?,
        tcp_user_timeout: positive(params, "tcp_user_timeout")?
            .map(|ms| Duration::from_millis(ms.unsigned_abs())),
        session_attrs: target_session_attrs(params)?,
        warnings,
    })
}

/// `host`, `hostaddr` and `port` lists, aligned like libpq: one port for all, or one per host.
fn endpoints(params: &Params, socket_dirs: &[&str]) -> Result<Vec<Endpoint>, ConnError> {
    let hosts = list(params.get("host"));
    let addrs = params.get("hostaddr").map(|a| list(Some(a)));
    let count = match &addrs {
        Some(a) if params.get("host").is_some() && a.len() != hosts.len() => {
            return Err(ConnError::Invalid(format!(
                "could not match {} host names to {} hostaddr values",
                hosts.len(),
                a.len()
            )));
        }
        Some(a) => a.len(),
        None => hosts.len(),
    };
    let ports = list(params.get("port"));
    if params.get("port").is_some() && ports.len() != 1 && ports.len() != count {
        return Err(ConnError::Invalid(format!(
            "could not match {} port numbers to {count} hosts",
            ports.len()
        )));
    }
    (0..count)
        .map(|i| {
            let host = hosts.get(i).copied().unwrap_or("");
            let addr = addrs.as_ref().and_then(|a| a.get(i).copied()).unwrap_or("");
            let port = port(ports.get(i).or(ports.first()).copied().unwrap_or(""))?;
            endpoint(host, addr, port, socket_dirs)
        })
        .collect()
}

fn endpoint(
    host: &str,
    addr: &str,
    port: u16,
    socket_dirs: &[&str],
) -> Result<Endpoint, ConnError> {
    if !addr.is_empty() {
        let ip: IpAddr = addr.trim().parse().map_err(|_| {
            ConnError::Invalid(format!("could not parse network address \"{addr}\""))
        })?;
        // With a hostaddr the connection is TCP; a socket-path "name" would only mislead.
        let host = if host.is_empty() || host.starts_with('/') {
            ip.to_string()
        } else {
            host.to_owned()
        };
        return Ok(Endpoint::Tcp {
            host,
            addr: Some(ip),
            port,
        });
    }
    if host.is_empty() {
        return Ok(Endpoint::Socket {
            dir: socket::default_dir(socket_dirs, port),
            port,
        });
    }
    if host.starts_with('/') {
        return Ok(Endpoint::Socket {
            dir: PathBuf::from(host),
            port,
        });
    }
    Ok(Endpoint::Tcp {
        host: host.to_owned(),
        addr: None,
        port,
    })
}

/// A comma-separated list; unset is one empty entry (the default).
fn list(value: Option<&str>) -> Vec<&str> {
    value.map_or_else(|| vec![""], |v| v.split(',').collect())
}

fn port(value: &str) -> Result<u16, ConnError> {
    if value.trim().is_empty() {
        return Ok(DEFAULT_PORT);
    }
    match value.trim().parse::<u16>() {
        Ok(p) if p > 0 => Ok(p),
        _ => Err(ConnError::Invalid(format!(
            "invalid port number: \"{value}\""
        ))),
    }
}

fn int(params: &Params, key: &str) -> Result<Option<i64>, ConnError> {
    params
        .get(key)
        .map(|v| {
            v.trim().parse::<i64>().map_err(|_| {
                ConnError::Invalid(format!(
                    "invalid integer value \"{v}\" for connection option \"{key}\""
                ))
            })
        })
        .transpose()
}

/// An integer option where zero or negative means "system default", as in libpq.
fn positive(params: &Params, key: &str) -> Result<Option<i64>, ConnError> {
    Ok(int(params, key)?.filter(|v| *v > 0))
}

fn seconds(params: &Params, key: &str) -> Result<Option<Duration>, ConnError> {
    Ok(positive(params, key)?.map(|s| Duration::from_secs(s.unsigned_abs())))
}

/// libpq: unset or <= 0 waits forever, 1 means 2. Unset here means our default deadline.
fn connect_timeout(params: &Params) -> Result<Option<Duration>, ConnError> {
    Ok(match int(params, "connect_timeout")? {
        None => Some(DEFAULT_CONNECT_TIMEOUT),
        Some(s) if s <= 0 => None,
        Some(s) => Some(Duration::from_secs(s.max(2).unsigned_abs())),
    })
}

fn keepalives(params: &Params) -> Result<Keepalives, ConnError> {
    Ok(Keepalives {
        enabled: int(params, "keepalives")?.is_none_or(|v| v != 0),
        idle: seconds(params, "keepalives_idle")?,
        interval: seconds(params, "keepalives_interval")?,
        count: positive(params, "keepalives_count")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
    })
}

/// Only modes that cannot silently downgrade are accepted until TLS exists: `require` and the
/// verify modes are refused rather than connecting in plaintext.
fn ssl_mode(params: &Params) -> Result<SslMode, ConnError> {
    match params.get("sslmode").unwrap_or("prefer") {
        "disable" | "allow" => Ok(SslMode::Disable),
        "prefer" => Ok(SslMode::Prefer),
        m @ ("require" | "verify-ca" | "verify-full") => Err(ConnError::Invalid(format!(
            "sslmode \"{m}\" is not supported yet"
        ))),
        m => Err(ConnError::Invalid(format!(
            "invalid sslmode value: \"{m}\""
        ))),
    }
}

fn target_session_attrs(params: &Params) -> Result<TargetSessionAttrs, ConnError> {
    match params.get("target_session_attrs").unwrap_or("any") {
        "any" => Ok(TargetSessionAttrs::Any),
        "read-write" => Ok(TargetSessionAttrs::ReadWrite),
        "read-only" => Ok(TargetSessionAttrs::ReadOnly),
        v @ ("primary" | "standby" | "prefer-standby") => Err(ConnError::Invalid(format!(
            "target_session_attrs \"{v}\" is not supported yet"
        ))),
        v => Err(ConnError::Invalid(format!(
            "invalid target_session_attrs value: \"{v}\""
        ))),
    }
}
