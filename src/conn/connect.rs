//! Connecting: each host in order like libpq, each attempt under the client-side deadline.

use std::future::Future;
use std::net::IpAddr;
use std::time::Duration;

use tokio_postgres::{Client, NoTls};

use super::error::ConnError;
use super::target::{Endpoint, Target, add_endpoint};

/// Connect with the client-side deadline; spawns the connection future on the current tokio
/// runtime (`tokio::spawn`) and returns the client. Tries each host in order like libpq.
pub async fn connect(target: &Target, application_name: &str) -> Result<Client, ConnError> {
    let mut errors = Vec::new();
    for endpoint in target.endpoints() {
        match connect_endpoint(target, endpoint, application_name).await {
            Ok(client) => return Ok(client),
            // libpq stops once a server has answered (bad password, unknown role, full...):
            // other hosts would only multiply failed logins.
            Err(e @ (ConnError::Server { .. } | ConnError::NoPassword { .. })) => return Err(e),
            Err(e) => errors.push(e),
        }
    }
    Err(ConnError::from_attempts(errors))
}

async fn connect_endpoint(
    target: &Target,
    endpoint: &Endpoint,
    application_name: &str,
) -> Result<Client, ConnError> {
    let deadline = target.connect_timeout();
    let Endpoint::Tcp {
        host,
        addr: None,
        port,
    } = endpoint
    else {
        let addr = match endpoint {
            Endpoint::Tcp { addr, .. } => *addr,
            Endpoint::Socket { .. } => None,
        };
        return attempt(target, endpoint, addr, application_name).await;
    };
    // Resolve the name here, not in tokio-postgres, so that each address gets its own deadline
    // and its own libpq-style `at "host" (address)` in the error.
    let at = endpoint.at(None);
    let addrs: Vec<IpAddr> = within(
        deadline,
        tokio::net::lookup_host((host.as_str(), *port)),
        &at,
    )
    .await?
    .map_err(|e| ConnError::dns(host, &e))?
    .map(|a| a.ip())
    .collect();
    let mut errors = Vec::new();
    for addr in addrs {
        match attempt(target, endpoint, Some(addr), application_name).await {
            Ok(client) => return Ok(client),
            Err(e @ (ConnError::Server { .. } | ConnError::NoPassword { .. })) => return Err(e),
            Err(e) => errors.push(e),
        }
    }
    Err(ConnError::from_attempts(errors))
}

/// One connection attempt to one address, under the deadline.
async fn attempt(
    target: &Target,
    endpoint: &Endpoint,
    addr: Option<IpAddr>,
    application_name: &str,
) -> Result<Client, ConnError> {
    let at = endpoint.at(addr);
    let mut cfg = target.base_config(application_name);
    add_endpoint(&mut cfg, endpoint, addr);
    let (client, connection) = within(target.connect_timeout(), cfg.connect(NoTls), &at)
        .await?
        .map_err(|e| ConnError::from_pg(&e, &at))?;
    // Errors after this point surface on the client's next call (as a closed connection).
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// Runs `fut` under the deadline (none when `connect_timeout` <= 0 was asked for).
async fn within<F: Future>(
    deadline: Option<Duration>,
    fut: F,
    at: &str,
) -> Result<F::Output, ConnError> {
    match deadline {
        Some(d) => tokio::time::timeout(d, fut)
            .await
            .map_err(|_| ConnError::Timeout { at: at.to_owned() }),
        None => Ok(fut.await),
    }
}
