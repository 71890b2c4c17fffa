//! A rustls connector that records whether the handshake happened: with sslmode prefer or allow
//! only that tells an encrypted session from a plaintext one.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rustls::ClientConfig;
use tokio_postgres::Socket;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres_rustls::MakeRustlsConnect;

type Inner = <MakeRustlsConnect as MakeTlsConnect<Socket>>::TlsConnect;
type InnerStream = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream;
type InnerError = <Inner as TlsConnect<Socket>>::Error;

#[derive(Clone)]
pub(super) struct Recording {
    inner: MakeRustlsConnect,
    used: Arc<AtomicBool>,
}

impl Recording {
    pub(super) fn new(config: Arc<ClientConfig>) -> Recording {
        Recording {
            inner: MakeRustlsConnect::new(Arc::unwrap_or_clone(config)),
            used: Arc::new(AtomicBool::new(false)),
        }
    }

    /// A TLS handshake completed on a connection made with this connector.
    pub(super) fn used(&self) -> bool {
        self.used.load(Ordering::Relaxed)
    }
}

impl MakeTlsConnect<Socket> for Recording {
    type Stream = InnerStream;
    type TlsConnect = RecordingConnect;
    type Error = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Error;

    fn make_tls_connect(&mut self, domain: &str) -> Result<RecordingConnect, Self::Error> {
        Ok(RecordingConnect {
            inner: MakeTlsConnect::<Socket>::make_tls_connect(&mut self.inner, domain)?,
            used: self.used.clone(),
        })
    }
}

pub(super) struct RecordingConnect {
    inner: Inner,
    used: Arc<AtomicBool>,
}

impl TlsConnect<Socket> for RecordingConnect {
    type Stream = InnerStream;
    type Error = InnerError;
    type Future = Pin<Box<dyn Future<Output = Result<InnerStream, InnerError>> + Send>>;

    fn connect(self, stream: Socket) -> Self::Future {
        let used = self.used;
        let handshake = self.inner.connect(stream);
        Box::pin(async move {
            let stream = handshake.await?;
            used.store(true, Ordering::Relaxed);
            Ok(stream)
        })
    }
}
