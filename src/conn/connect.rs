//! Connecting: each host in order like libpq (or shuffled with load_balance_hosts=random), each
//! attempt under the client-side deadline, TLS as sslmode asks, target_session_attrs checked.

use std::net::IpAddr;
use std::sync::Arc;

use rustls::ClientConfig;
use tokio_postgres::config::SslMode;
use tokio_postgres::{Client, NoTls};

use super::deadline::within;
use super::error::ConnError;
use super::target::{Endpoint, SessionAttrs, Target, add_endpoint};
use super::tls;
use super::tls_config::client_config;
use super::tls_connect::Recording;
use super::{login_probe, session_attrs};
use crate::snapshot::Transport;

/// A connected client and how it reaches the server.
pub struct Connected {
    pub client: Client,
    pub transport: Transport,
}

/// Connect with the client-side deadline; spawns the connection future on the current tokio
/// runtime (`tokio::spawn`) and returns the client.
pub async fn connect(target: &Target, application_name: &str) -> Result<Client, ConnError> {
    connect_full(target, application_name)
        .await
        .map(|c| c.client)
}

/// [`connect`], also telling the transport (socket, plaintext, TLS verified or not).
pub async fn connect_full(target: &Target, application_name: &str) -> Result<Connected, ConnError> {
    let tls = if target.tls.mode == tls::SslMode::Disable {
        None
    } else {
        Some(client_config(&target.tls)?)
    };
    let run = Run {
        target,
        application_name,
        tls,
    };
    let mut order: Vec<usize> = (0..target.endpoints.len()).collect();
    if target.load_balance {
        session_attrs::shuffle(&mut order);
    }
    let tls_mode = target.tls.mode;
    tracing::debug!(
        server = %target.describe(), user = target.user(), dbname = target.dbname(),
        application_name, sslmode = ?tls_mode, verify_chain = target.tls.verifies(),
        verify_name = target.tls.checks_name(), attrs = ?target.session_attrs,
        "connecting"
    );
    let result = match target.session_attrs {
        // libpq: a standby if any host is one, else whatever answers.
        SessionAttrs::PreferStandby => match run.pass(&order, SessionAttrs::Standby).await {
            Err(e) if !stops(&e) => run.pass(&order, SessionAttrs::Any).await,
            other => other,
        },
        attrs => run.pass(&order, attrs).await,
    };
    match &result {
        Ok(c) => tracing::info!(application_name, transport = ?c.transport, "connected"),
        Err(e) => {
            tracing::warn!(application_name, sqlstate = e.sqlstate(), error = %e, "connection failed");
        }
    }
    result
}

/// libpq stops once a server has refused the login (bad password, unknown role, full...): other
/// hosts would only multiply failed logins.
fn stops(e: &ConnError) -> bool {
    matches!(e, ConnError::Server { .. } | ConnError::NoPassword { .. })
}

struct Run<'a> {
    target: &'a Target,
    application_name: &'a str,
    tls: Option<Arc<ClientConfig>>,
}

impl Run<'_> {
    async fn pass(&self, order: &[usize], attrs: SessionAttrs) -> Result<Connected, ConnError> {
        let mut errors = Vec::new();
        for &i in order {
            match self.endpoint(i, attrs).await {
                Ok(c) => return Ok(c),
                Err(e) if stops(&e) => return Err(e),
                Err(e) => errors.push(e),
            }
        }
        Err(ConnError::from_attempts(errors))
    }

    async fn endpoint(&self, i: usize, attrs: SessionAttrs) -> Result<Connected, ConnError> {
        let endpoint = &self.target.endpoints[i];
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
            return self.address(i, addr, attrs).await;
        };
        // Resolve the name here, not in tokio-postgres, so that each address gets its own
        // deadline and its own libpq-style `at "host" (address)` in the error.
        let at = endpoint.at(None);
        let mut addrs: Vec<IpAddr> = within(
            self.target.connect_timeout,
            tokio::net::lookup_host((host.as_str(), *port)),
            &at,
        )
        .await?
        .map_err(|e| ConnError::dns(host, &e))?
        .map(|a| a.ip())
        .collect();
        if self.target.load_balance {
            session_attrs::shuffle(&mut addrs);
        }
        let mut errors = Vec::new();
        for addr in addrs {
            match self.address(i, Some(addr), attrs).await {
                Ok(c) => return Ok(c),
                Err(e) if stops(&e) => return Err(e),
                Err(e) => errors.push(e),
            }
        }
        Err(ConnError::from_attempts(errors))
    }

    /// One address, with libpq's TLS fallbacks: `allow` retries with TLS when the server refuses
    /// a plaintext login, `prefer` retries in plaintext when TLS fails. Stronger modes never
    /// fall back.
    async fn address(
        &self,
        i: usize,
        addr: Option<IpAddr>,
        attrs: SessionAttrs,
    ) -> Result<Connected, ConnError> {
        let endpoint = &self.target.endpoints[i];
        let tls = self
            .tls
            .as_ref()
            .filter(|_| !matches!(endpoint, Endpoint::Socket { .. }));
        let connected = match (self.target.tls.mode, tls) {
            (_, None) | (tls::SslMode::Disable, _) => self.attempt(i, addr, None).await,
            (tls::SslMode::Allow, Some(tls)) => match self.attempt(i, addr, None).await {
                Err(ConnError::Server { .. }) => {
                    tracing::debug!("sslmode=allow: plaintext login refused, trying TLS");
                    let tls = Recording::new(tls.clone());
                    self.attempt(i, addr, Some((&tls, SslMode::Require))).await
                }
                other => other,
            },
            (tls::SslMode::Prefer, Some(tls)) => {
                let tls = Recording::new(tls.clone());
                match self.attempt(i, addr, Some((&tls, SslMode::Prefer))).await {
                    Err(ConnError::Tls { .. }) => {
                        tracing::debug!("sslmode=prefer: TLS failed, trying plaintext");
                        self.attempt(i, addr, None).await
                    }
                    // Refused over TLS (e.g. a hostnossl rule): libpq tries once without.
                    Err(ConnError::Server { .. }) if tls.used() => {
                        tracing::debug!("sslmode=prefer: login refused over TLS, trying plaintext");
                        self.attempt(i, addr, None).await
                    }
                    other => other,
                }
            }
            (_, Some(tls)) => {
                let tls = Recording::new(tls.clone());
                self.attempt(i, addr, Some((&tls, SslMode::Require))).await
            }
        }?;
        let at = endpoint.at(addr);
        session_attrs::check(&connected.client, attrs, &at, self.target.connect_timeout).await?;
        Ok(connected)
    }

    /// One connection attempt to one address, logged with its outcome.
    async fn attempt(
        &self,
        i: usize,
        addr: Option<IpAddr>,
        tls: Option<(&Recording, SslMode)>,
    ) -> Result<Connected, ConnError> {
        let at = self.target.endpoints[i].at(addr);
        let asked = tls.map_or("off", |(_, m)| {
            if m == SslMode::Prefer {
                "prefer"
            } else {
                "require"
            }
        });
        tracing::debug!(%at, tls = asked, "connection attempt");
        let result = self.attempt_once(i, addr, tls).await;
        match &result {
            Ok(c) => tracing::debug!(%at, transport = ?c.transport, "connection attempt succeeded"),
            Err(e) => {
                tracing::debug!(%at, sqlstate = e.sqlstate(), error = %e, "connection attempt failed");
            }
        }
        result
    }

    /// One connection attempt to one address, under the deadline. The connect futures are
    /// boxed: tokio-postgres' are large, and every caller's future would carry them.
    async fn attempt_once(
        &self,
        i: usize,
        addr: Option<IpAddr>,
        tls: Option<(&Recording, SslMode)>,
    ) -> Result<Connected, ConnError> {
        let target = self.target;
        let endpoint = &target.endpoints[i];
        let at = endpoint.at(addr);
        let mut cfg = target.base_config(self.application_name);
        add_endpoint(&mut cfg, endpoint, addr);
        if target.password.is_none()
            && let Some(Some(p)) = target.host_passwords.get(i)
        {
            cfg.password(p);
        }
        let deadline = target.connect_timeout;
        let (client, transport) = match tls {
            None => {
                cfg.ssl_mode(SslMode::Disable);
                let done = within(deadline, Box::pin(cfg.connect(NoTls)), &at).await;
                let (client, connection) = login_probe::explain(done, endpoint, addr)
                    .await?
                    .map_err(|e| ConnError::from_pg(&e, &at))?;
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                let transport = match endpoint {
                    Endpoint::Socket { .. } => Transport::Socket,
                    Endpoint::Tcp { .. } => Transport::Plaintext,
                };
                (client, transport)
            }
            Some((connector, mode)) => {
                cfg.ssl_mode(mode);
                if target.tls.direct {
                    cfg.ssl_negotiation(tokio_postgres::config::SslNegotiation::Direct);
                }
                let done = within(deadline, Box::pin(cfg.connect(connector.clone())), &at).await;
                let (client, connection) = login_probe::explain(done, endpoint, addr)
                    .await?
                    .map_err(|e| ConnError::from_pg(&e, &at))?;
                tokio::spawn(async move {
                    let _ = connection.await;
                });
                let transport = match (connector.used(), target.tls.verifies()) {
                    (false, _) => Transport::Plaintext,
                    (true, false) => Transport::TlsUnverified,
                    (true, true) => Transport::TlsVerified,
                };
                (client, transport)
            }
        };
        // Errors after this point surface on the client's next call (as a closed connection).
        Ok(Connected { client, transport })
    }
}
