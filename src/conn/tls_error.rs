//! TLS failures in libpq's words (certificate name mismatch, verification, TLS not offered).

use std::error::Error;
use std::io;

use rustls::CertificateError;

/// The message for a TLS error raised while connecting.
pub(super) fn text(source: Option<&(dyn Error + 'static)>) -> String {
    let Some(source) = source else {
        return "SSL error".to_owned();
    };
    let shown = source.to_string();
    if shown == "server does not support TLS" {
        return "server does not support SSL, but SSL was required".to_owned();
    }
    let rustls_error = source
        .downcast_ref::<io::Error>()
        .and_then(|e| e.get_ref())
        .and_then(|e| e.downcast_ref::<rustls::Error>());
    match rustls_error {
        Some(rustls::Error::InvalidCertificate(cert)) => certificate_text(cert),
        Some(other) => format!("SSL error: {other}"),
        None => format!("SSL error: {shown}"),
    }
}

fn certificate_text(e: &CertificateError) -> String {
    match e {
        CertificateError::NotValidForNameContext {
            expected,
            presented,
        } => {
            let expected = expected.to_str();
            match presented.as_slice() {
                [] => format!(
                    "could not get server's host name from server certificate (expected \"{expected}\")"
                ),
                [one] => format!(
                    "server certificate for \"{}\" does not match host name \"{expected}\"",
                    bare(one)
                ),
                [first, rest @ ..] => format!(
                    "server certificate for \"{}\" (and {} other name{}) does not match host name \"{expected}\"",
                    bare(first),
                    rest.len(),
                    if rest.len() == 1 { "" } else { "s" }
                ),
            }
        }
        CertificateError::NotValidForName => {
            "server certificate does not match the host name".to_owned()
        }
        other => format!("SSL error: certificate verify failed: {other}"),
    }
}

/// `DnsName("db1")` -> `db1`: the name as the certificate gives it.
fn bare(presented: &str) -> &str {
    presented
        .split_once("(\"")
        .and_then(|(_, rest)| rest.strip_suffix("\")"))
        .unwrap_or(presented)
}
