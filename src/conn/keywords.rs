//! libpq connection keywords: which exist, which pgscope honours, and their environment variables.

/// Keywords pgscope honours (some only for certain values; settings.rs refuses the others).
const SUPPORTED: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "service",
    "servicefile",
    "connect_timeout",
    "application_name",
    "fallback_application_name",
    "options",
    "client_encoding",
    "channel_binding",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
    "target_session_attrs",
    "load_balance_hosts",
    "sslmode",
    "sslnegotiation",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "sslcertmode",
    "sslcrl",
    "sslcrldir",
    "sslsni",
    "sslcompression",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "min_protocol_version",
    "max_protocol_version",
    "gssencmode",
];

/// Valid libpq keywords (`PostgreSQL` 12-18) that pgscope cannot honour. They are refused rather
/// than ignored: silently dropping `require_auth` or `requirepeer` would connect with weaker
/// guarantees than the operator asked for.
const NOT_YET: &[&str] = &[
    "require_auth",
    "replication",
    "gssdelegation",
    "gsslib",
    "krbsrvname",
    "sslpassword",
    "sslkeylogfile",
    "requiressl",
    "requirepeer",
    "oauth_issuer",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_scope",
    "scram_client_key",
    "scram_server_key",
];

/// Environment variables, as libpq names them, and their keywords.
pub(super) const ENV: &[(&str, &str)] = &[
    ("PGHOST", "host"),
    ("PGHOSTADDR", "hostaddr"),
    ("PGPORT", "port"),
    ("PGDATABASE", "dbname"),
    ("PGUSER", "user"),
    ("PGPASSWORD", "password"),
    ("PGPASSFILE", "passfile"),
    ("PGSERVICE", "service"),
    ("PGSERVICEFILE", "servicefile"),
    ("PGCONNECT_TIMEOUT", "connect_timeout"),
    ("PGAPPNAME", "application_name"),
    ("PGOPTIONS", "options"),
    ("PGCLIENTENCODING", "client_encoding"),
    ("PGCHANNELBINDING", "channel_binding"),
    ("PGTCP_USER_TIMEOUT", "tcp_user_timeout"),
    ("PGTARGETSESSIONATTRS", "target_session_attrs"),
    ("PGLOADBALANCEHOSTS", "load_balance_hosts"),
    ("PGSSLMODE", "sslmode"),
    ("PGSSLNEGOTIATION", "sslnegotiation"),
    ("PGSSLROOTCERT", "sslrootcert"),
    ("PGSSLCERT", "sslcert"),
    ("PGSSLKEY", "sslkey"),
    ("PGSSLCERTMODE", "sslcertmode"),
    ("PGSSLCRL", "sslcrl"),
    ("PGSSLCRLDIR", "sslcrldir"),
    ("PGSSLSNI", "sslsni"),
    ("PGSSLCOMPRESSION", "sslcompression"),
    ("PGSSLMINPROTOCOLVERSION", "ssl_min_protocol_version"),
    ("PGSSLMAXPROTOCOLVERSION", "ssl_max_protocol_version"),
    ("PGMINPROTOCOLVERSION", "min_protocol_version"),
    ("PGMAXPROTOCOLVERSION", "max_protocol_version"),
    ("PGGSSENCMODE", "gssencmode"),
    ("PGREQUIREAUTH", "require_auth"),
    ("PGREQUIRESSL", "requiressl"),
    ("PGREQUIREPEER", "requirepeer"),
    ("PGKRBSRVNAME", "krbsrvname"),
    ("PGGSSLIB", "gsslib"),
    ("PGGSSDELEGATION", "gssdelegation"),
    ("PGSSLKEYLOGFILE", "sslkeylogfile"),
];

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
