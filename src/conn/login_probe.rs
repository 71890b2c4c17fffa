//! Why a connection attempt timed out. When the server still accepts a plain socket connection
//! at once, the network and the postmaster are fine and the login itself hung: most often on a
//! lock on a catalog every login reads (pg_authid, pg_database), held by an open transaction.

use std::net::IpAddr;
use std::time::Duration;

use super::error::ConnError;
use super::target::Endpoint;

const PROBE: Duration = Duration::from_secs(1);

/// Turns a `Timeout` into a `LoginTimeout` when the server accepts a socket connection.
pub(super) async fn explain<T>(
    result: Result<T, ConnError>,
    endpoint: &Endpoint,
    addr: Option<IpAddr>,
) -> Result<T, ConnError> {
    match result {
        Err(ConnError::Timeout { at }) if accepts(endpoint, addr).await => {
            Err(ConnError::LoginTimeout { at })
        }
        other => other,
    }
}

async fn accepts(endpoint: &Endpoint, addr: Option<IpAddr>) -> bool {
    let probe = async {
        match endpoint {
            Endpoint::Socket { dir, port } => {
                tokio::net::UnixStream::connect(dir.join(format!(".s.PGSQL.{port}")))
                    .await
                    .is_ok()
            }
            Endpoint::Tcp { host, port, .. } => match addr {
                Some(a) => tokio::net::TcpStream::connect((a, *port)).await.is_ok(),
                None => tokio::net::TcpStream::connect((host.as_str(), *port))
                    .await
                    .is_ok(),
            },
        }
    };
    tokio::time::timeout(PROBE, probe).await.unwrap_or(false)
}
