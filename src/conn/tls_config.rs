//! The rustls client configuration for resolved TLS settings: trust roots, CRLs, client
//! certificate, and a verifier for each of libpq's levels (none, chain only, chain and name).

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{WebPkiSupportedAlgorithms, ring};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    CertificateDer, CertificateRevocationListDer, PrivateKeyDer, ServerName, UnixTime,
};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use super::error::ConnError;
use super::os_user;
use super::tls::{Roots, TlsSettings, Versions};

/// ALPN protocol name PostgreSQL 17+ requires for direct TLS (and accepts otherwise).
const ALPN: &[u8] = b"postgresql";

/// Reads the files named by the settings and builds the client configuration.
pub(super) fn client_config(tls: &TlsSettings) -> Result<Arc<ClientConfig>, ConnError> {
    let provider = Arc::new(ring::default_provider());
    let versions: &[&rustls::SupportedProtocolVersion] = match tls.versions {
        Versions::Any => &[&rustls::version::TLS13, &rustls::version::TLS12],
        Versions::Only12 => &[&rustls::version::TLS12],
        Versions::Only13 => &[&rustls::version::TLS13],
    };
    let verifier: Arc<dyn ServerCertVerifier> = match &tls.roots {
        Roots::None => Arc::new(NoVerify(provider.signature_verification_algorithms)),
        roots => {
            let store = Arc::new(root_store(roots)?);
            let mut builder = WebPkiServerVerifier::builder_with_provider(store, provider.clone());
            let crls = crls(tls)?;
            if !crls.is_empty() {
                builder = builder.with_crls(crls).enforce_revocation_expiration();
            }
            let webpki = builder.build().map_err(|e| {
                ConnError::Invalid(format!("could not set up certificate verification: {e}"))
            })?;
            if tls.checks_name() {
                webpki
            } else {
                Arc::new(ChainOnly(webpki))
            }
        }
    };
    let builder = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .map_err(|e| ConnError::Invalid(format!("TLS setup failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(verifier);
    let mut config = match &tls.client {
        None => builder.with_no_client_auth(),
        Some((cert, key)) => {
            let chain = certs(cert, "certificate")?;
            let key = private_key(key)?;
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                ConnError::Invalid(format!(
                    "could not use client certificate \"{}\": {e}",
                    cert.display()
                ))
            })?
        }
    };
    config.alpn_protocols = vec![ALPN.to_vec()];
    config.enable_sni = tls.sni;
    Ok(Arc::new(config))
}

fn root_store(roots: &Roots) -> Result<RootCertStore, ConnError> {
    let mut store = RootCertStore::empty();
    let certs = match roots {
        Roots::File(f) => certs(f, "root certificate")?,
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            if found.certs.is_empty() {
                let why = found
                    .errors
                    .first()
                    .map(ToString::to_string)
                    .unwrap_or_default();
                return Err(ConnError::Invalid(format!(
                    "could not load system root certificate paths: {why}"
                )));
            }
            found.certs
        }
        Roots::None => Vec::new(),
    };
    // Like OpenSSL, certificates the TLS library cannot use are skipped, not fatal.
    store.add_parsable_certificates(certs);
    if store.is_empty() {
        return Err(ConnError::Invalid(
            "no usable root certificate found".to_owned(),
        ));
    }
    Ok(store)
}

fn certs(path: &Path, what: &str) -> Result<Vec<CertificateDer<'static>>, ConnError> {
    let failed = |e: &dyn std::fmt::Display| {
        ConnError::Invalid(format!(
            "could not read {what} file \"{}\": {e}",
            path.display()
        ))
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(|e| failed(&e))?
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| failed(&e))?;
    if certs.is_empty() {
        return Err(failed(&"no certificate in the file"));
    }
    Ok(certs)
}

fn crls(tls: &TlsSettings) -> Result<Vec<CertificateRevocationListDer<'static>>, ConnError> {
    let mut files = Vec::new();
    files.extend(tls.crl.clone());
    if let Some(dir) = &tls.crl_dir {
        let entries = fs::read_dir(dir).map_err(|e| {
            ConnError::Invalid(format!(
                "could not read SSL CRL directory \"{}\": {e}",
                dir.display()
            ))
        })?;
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.is_file()));
    }
    let mut crls = Vec::new();
    for file in files {
        let found = CertificateRevocationListDer::pem_file_iter(&file)
            .and_then(Iterator::collect::<Result<Vec<_>, _>>)
            .map_err(|e| {
                ConnError::Invalid(format!(
                    "could not read SSL CRL file \"{}\": {e}",
                    file.display()
                ))
            })?;
        crls.extend(found);
    }
    Ok(crls)
}

/// libpq refuses a key others can read: 0600 or less, or 0640 or less when owned by root.
fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, ConnError> {
    let shown = path.display();
    let meta = fs::metadata(path).map_err(|e| {
        ConnError::Invalid(format!("could not open private key file \"{shown}\": {e}"))
    })?;
    let mode = meta.mode() & 0o777;
    let own = os_user::effective_uid() == meta.uid();
    let allowed = if meta.uid() == 0 && !own {
        0o640
    } else {
        0o600
    };
    if mode & !allowed != 0 {
        return Err(ConnError::Invalid(format!(
            "private key file \"{shown}\" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root"
        )));
    }
    PrivateKeyDer::from_pem_file(path).map_err(|e| {
        ConnError::Invalid(format!("could not load private key file \"{shown}\": {e}"))
    })
}

/// `sslmode=require` without a root file: encrypted, not authenticated (libpq's semantics).
/// Handshake signatures are still checked, so the peer holds the certificate's key.
#[derive(Debug)]
struct NoVerify(WebPkiSupportedAlgorithms);

impl ServerCertVerifier for NoVerify {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_schemes()
    }
}

/// verify-ca: the chain must lead to a trusted root (and pass the CRLs); the name is not checked.
/// webpki checks the chain before the name, so a name error means the chain was good.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
