//! Lending the monitoring connection for one job. On a full server the control connection
//! cannot be opened (53300): the control task asks the collect task for its connection, which
//! hands it over between two refreshes and refreshes again only once the lease is dropped.
//! Plain channels, so that neither task imports the other.

use std::sync::Arc;

use tokio::sync::oneshot;
use tokio_postgres::Client;

/// The monitoring connection, lent; dropping the lease gives it back.
pub struct Lease {
    pub client: Arc<Client>,
    _back: oneshot::Sender<()>,
}

impl Lease {
    /// A lease of `client`; `back` resolves (with an error) when the lease is dropped.
    pub fn new(client: Arc<Client>) -> (Lease, oneshot::Receiver<()>) {
        let (tx, rx) = oneshot::channel();
        (Lease { client, _back: tx }, rx)
    }
}

/// A request for a lease, answered when the monitoring connection is free.
pub struct Ask(pub oneshot::Sender<Lease>);
