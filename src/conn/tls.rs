//! TLS settings from the keyword map, with libpq's defaults, files and consistency rules.

use std::path::{Path, PathBuf};

use super::error::ConnError;
use super::params::Params;

/// libpq's sslmode, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SslMode {
    Disable,
    Allow,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn parse(s: &str) -> Result<SslMode, ConnError> {
        Ok(match s {
            "disable" => SslMode::Disable,
            "allow" => SslMode::Allow,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            m => {
                return Err(ConnError::Invalid(format!(
                    "invalid sslmode value: \"{m}\""
                )));
            }
        })
    }
}

/// Where trusted root certificates come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Roots {
    /// No root file: the server certificate is not verified (sslmode require and weaker).
    None,
    File(PathBuf),
    /// `sslrootcert=system`: the system's trust store (SSL_CERT_FILE / SSL_CERT_DIR honoured).
    System,
}

/// Which TLS versions may be negotiated (the TLS library speaks 1.2 and 1.3 only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Versions {
    Any,
    Only12,
    Only13,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TlsSettings {
    pub(super) mode: SslMode,
    /// `sslnegotiation=direct` (PostgreSQL 17+): TLS from the first byte, no SSLRequest.
    pub(super) direct: bool,
    pub(super) roots: Roots,
    /// Client certificate and key files.
    pub(super) client: Option<(PathBuf, PathBuf)>,
    pub(super) crl: Option<PathBuf>,
    pub(super) crl_dir: Option<PathBuf>,
    pub(super) sni: bool,
    pub(super) versions: Versions,
}

impl TlsSettings {
    /// The chain is checked against trusted roots (libpq does so in every mode once a root file
    /// exists).
    pub(super) fn verifies(&self) -> bool {
        self.roots != Roots::None
    }

    pub(super) fn checks_name(&self) -> bool {
        self.mode == SslMode::VerifyFull
    }
}

const ROOT_HINT: &str = "Either provide the file, use the system's trusted roots with \
     sslrootcert=system, or change sslmode to disable server certificate verification.";

/// Resolves the TLS keywords. `home` is where `~/.postgresql/` defaults live.
pub(super) fn settings(
    params: &Params,
    home: Option<&Path>,
    warnings: &mut Vec<String>,
) -> Result<TlsSettings, ConnError> {
    let rootcert = params.get("sslrootcert");
    let mode = match params.get("sslmode") {
        Some(m) => SslMode::parse(m)?,
        // libpq 16: the system store only makes sense with a host name check.
        None if rootcert == Some("system") => SslMode::VerifyFull,
        None => SslMode::Prefer,
    };
    if rootcert == Some("system") && mode != SslMode::VerifyFull {
        return Err(ConnError::Invalid(format!(
            "weak sslmode \"{}\" may not be used with sslrootcert=system (use \"verify-full\")",
            mode_name(mode)
        )));
    }
    let direct = match params.get("sslnegotiation").unwrap_or("postgres") {
        "postgres" => false,
        "direct" => true,
        v => {
            return Err(ConnError::Invalid(format!(
                "invalid sslnegotiation value: \"{v}\""
            )));
        }
    };
    if direct && mode < SslMode::Require {
        return Err(ConnError::Invalid(format!(
            "weak sslmode \"{}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")",
            mode_name(mode)
        )));
    }
    let dot = home.map(|h| h.join(".postgresql"));
    let roots = roots(rootcert, dot.as_deref(), mode, warnings)?;
    let verifying = roots != Roots::None;
    let crl = match params.get("sslcrl") {
        Some(f) => Some(PathBuf::from(f)),
        None if params.get("sslcrldir").is_none() && verifying => dot
            .as_ref()
            .map(|d| d.join("root.crl"))
            .filter(|f| f.exists()),
        None => None,
    };
    Ok(TlsSettings {
        mode,
        direct,
        roots,
        client: client_cert(params, dot.as_deref())?,
        crl,
        crl_dir: params.get("sslcrldir").map(PathBuf::from),
        sni: params.get("sslsni").is_none_or(|v| v.trim() != "0"),
        versions: versions(params)?,
    })
}

fn mode_name(mode: SslMode) -> &'static str {
    match mode {
        SslMode::Disable => "disable",
        SslMode::Allow => "allow",
        SslMode::Prefer => "prefer",
        SslMode::Require => "require",
        SslMode::VerifyCa => "verify-ca",
        SslMode::VerifyFull => "verify-full",
    }
}

fn roots(
    rootcert: Option<&str>,
    dot: Option<&Path>,
    mode: SslMode,
    warnings: &mut Vec<String>,
) -> Result<Roots, ConnError> {
    if mode == SslMode::Disable {
        return Ok(Roots::None);
    }
    if rootcert == Some("system") {
        return Ok(Roots::System);
    }
    let file = rootcert
        .map(PathBuf::from)
        .or_else(|| dot.map(|d| d.join("root.crt")));
    match file {
        Some(f) if f.exists() => Ok(Roots::File(f)),
        Some(f) if mode >= SslMode::VerifyCa => Err(ConnError::Invalid(format!(
            "root certificate file \"{}\" does not exist. {ROOT_HINT}",
            f.display()
        ))),
        None if mode >= SslMode::VerifyCa => Err(ConnError::Invalid(format!(
            "could not get home directory to locate root certificate file. {ROOT_HINT}"
        ))),
        Some(f) if rootcert.is_some() => {
            warnings.push(format!(
                "root certificate file \"{}\" does not exist: the server certificate will not be verified",
                f.display()
            ));
            Ok(Roots::None)
        }
        _ => Ok(Roots::None),
    }
}

/// libpq: a missing certificate file means "no client certificate"; a certificate without its
/// key is an error.
fn client_cert(
    params: &Params,
    dot: Option<&Path>,
) -> Result<Option<(PathBuf, PathBuf)>, ConnError> {
    match params.get("sslcertmode").unwrap_or("allow") {
        "disable" => return Ok(None),
        "allow" => {}
        "require" => {
            return Err(ConnError::Invalid(
                "sslcertmode \"require\" is not supported by pgscope".to_owned(),
            ));
        }
        v => {
            return Err(ConnError::Invalid(format!(
                "invalid sslcertmode value: \"{v}\""
            )));
        }
    }
    let cert = params
        .get("sslcert")
        .map(PathBuf::from)
        .or_else(|| dot.map(|d| d.join("postgresql.crt")));
    let Some(cert) = cert.filter(|c| c.exists()) else {
        return Ok(None);
    };
    let key = params
        .get("sslkey")
        .map(PathBuf::from)
        .or_else(|| dot.map(|d| d.join("postgresql.key")));
    match key.filter(|k| k.exists()) {
        Some(key) => Ok(Some((cert, key))),
        None => Err(ConnError::Invalid(format!(
            "certificate present, but not private key file \"{}\"",
            params
                .get("sslkey")
                .unwrap_or("~/.postgresql/postgresql.key")
        ))),
    }
}

fn versions(params: &Params) -> Result<Versions, ConnError> {
    let rank = |key: &str| -> Result<Option<u8>, ConnError> {
        params
            .get(key)
            .map(|v| match v {
                "TLSv1" => Ok(10),
                "TLSv1.1" => Ok(11),
                "TLSv1.2" => Ok(12),
                "TLSv1.3" => Ok(13),
                _ => Err(ConnError::Invalid(format!("invalid {key} value: \"{v}\""))),
            })
            .transpose()
    };
    let min = rank("ssl_min_protocol_version")?.unwrap_or(12);
    let max = rank("ssl_max_protocol_version")?.unwrap_or(13);
    if min > max {
        return Err(ConnError::Invalid(
            "invalid SSL protocol version range".to_owned(),
        ));
    }
    match (min.max(12), max) {
        (_, m) if m < 12 => Err(ConnError::Invalid(
            "ssl_max_protocol_version below TLSv1.2 is not supported by pgscope".to_owned(),
        )),
        (13, _) => Ok(Versions::Only13),
        (_, 12) => Ok(Versions::Only12),
        _ => Ok(Versions::Any),
    }
}
