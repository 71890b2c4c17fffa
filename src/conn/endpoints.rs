//! The host list: `host`, `hostaddr` and `port` aligned like libpq, and each host's password
//! from the password file.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use super::error::ConnError;
use super::params::Params;
use super::pgpass;
use super::socket;
use super::target::Endpoint;

const DEFAULT_PORT: u16 = 5432;

/// `host`, `hostaddr` and `port` lists, aligned like libpq: one port for all, or one per host.
pub(super) fn endpoints(params: &Params, socket_dirs: &[&str]) -> Result<Vec<Endpoint>, ConnError> {
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

/// The password file's entry for each endpoint (libpq looks it up per host, before connecting).
/// Sockets in a default directory are looked up as "localhost".
pub(super) fn pgpass_passwords(
    file: &Path,
    endpoints: &[Endpoint],
    user: &str,
    dbname: &str,
    socket_dirs: &[&str],
    warnings: &mut Vec<String>,
) -> Vec<Option<String>> {
    let Some(text) = pgpass::read(file, warnings) else {
        return vec![None; endpoints.len()];
    };
    endpoints
        .iter()
        .map(|e| {
            let (host, port) = match e {
                Endpoint::Tcp { host, port, .. } => (host.clone(), *port),
                Endpoint::Socket { dir, port } => {
                    let default = socket_dirs.iter().any(|d| Path::new(d) == dir);
                    let host = if default {
                        "localhost".to_owned()
                    } else {
                        dir.display().to_string()
                    };
                    (host, *port)
                }
            };
            let port = port.to_string();
            let key = pgpass::Key {
                host: &host,
                port: &port,
                dbname,
                user,
            };
            pgpass::lookup(&text, key)
        })
        .collect()
}
