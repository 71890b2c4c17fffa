//! libpq connection keywords: which exist, which pgscope honours, and their environment variables.

/// Keywords pgscope honours today.
const SUPPORTED: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "connect_timeout",
    "application_name",
    "fallback_application_name",
    "options",
    "sslmode",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "target_session_attrs",
];

/// Valid libpq keywords (`PostgreSQL` 12-18) not honoured yet. They are refused rather than
/// ignored: silently dropping `service` or `sslrootcert` would connect somewhere or somehow else
/// than the operator asked.
const NOT_YET: &[&str] = &[
    "passfile",
    "service",
    "require_auth",
    "channel_binding",
    "client_encoding",
    "replication",
    "gssencmode",
    "gssdelegation",
    "gsslib",
    "krbsrvname",
    "sslnegotiation",
    "sslcompression",
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcertmode",
    "sslrootcert",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "requiressl",
    "requirepeer",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "min_protocol_version",
    "max_protocol_version",
    "load_balance_hosts",
    "oauth_issuer",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_scope",
    "scram_client_key",
    "scram_server_key",
];

/// Environment variables read for honoured keywords, as libpq names them.
pub(super) const ENV: &[(&str, &str)] = &[
    ("PGHOST", "host"),
    ("PGHOSTADDR", "hostaddr"),
    ("PGPORT", "port"),
    ("PGDATABASE", "dbname"),
    ("PGUSER", "user"),
    ("PGPASSWORD", "password"),
    ("PGCONNECT_TIMEOUT", "connect_timeout"),
    ("PGAPPNAME", "application_name"),
    ("PGOPTIONS", "options"),
    ("PGSSLMODE", "sslmode"),
    ("PGTCP_USER_TIMEOUT", "tcp_user_timeout"),
    ("PGTARGETSESSIONATTRS", "target_session_attrs"),
];

/// Environment variables that would pick another server or credentials: refused until honoured.
pub(super) const ENV_NOT_YET: &[(&str, &str)] = &[("PGSERVICE", "service")];

/// What a keyword is to us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Keyword {
    Supported(&'static str),
    NotYet(&'static str),
    Unknown,
}

pub(super) fn classify(name: &str) -> Keyword {
    if let Some(k) = SUPPORTED.iter().find(|k| **k == name) {
        Keyword::Supported(k)
    } else if let Some(k) = NOT_YET.iter().find(|k| **k == name) {
        Keyword::NotYet(k)
    } else {
        Keyword::Unknown
    }
}
