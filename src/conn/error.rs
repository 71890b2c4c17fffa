//! Connection errors, worded like psql's, on one line, without passwords or raw control characters.

use std::error::Error as _;
use std::io;

/// The grant that lets a monitoring role use the `reserved_connections` slots (16+).
const RESERVED_GRANT: &str = "GRANT pg_use_reserved_connections TO <role>";

/// Appended to SQLSTATE 53300 (`too_many_connections`): which slots remain, who may use them,
/// and the grant, read from the server's own message (it names the slots that remain).
fn too_many_hint(message: &str) -> String {
    // Per-role and per-database limits share the SQLSTATE; reserved slots do not help there.
    if message.contains("connections for role") {
        return "the role's CONNECTION LIMIT is reached (ALTER ROLE ... CONNECTION LIMIT)"
            .to_owned();
    }
    if message.contains("connections for database") {
        return "the database's CONNECTION LIMIT is reached (ALTER DATABASE ... CONNECTION LIMIT)"
            .to_owned();
    }
    if message.contains("too many clients") {
        // Every slot is taken, the reserved ones too.
        return format!(
            "every connection slot is in use, the reserved ones too: no new login until a \
             session ends (a pgscope already connected can still terminate one); to keep one \
             for next time: superuser_reserved_connections for superusers, and on 16+ \
             reserved_connections with {RESERVED_GRANT}"
        );
    }
    if message.contains("pg_use_reserved_connections") {
        return format!(
            "only reserved slots remain: reserved_connections for roles with \
             pg_use_reserved_connections ({RESERVED_GRANT}) and superuser_reserved_connections \
             for superusers"
        );
    }
    if message.contains("SUPERUSER") || message.contains("superuser") {
        return format!(
            "only the superuser_reserved_connections slots remain, for superusers; on 16+ a \
             role with pg_use_reserved_connections ({RESERVED_GRANT}) gets the \
             reserved_connections slots when those are free"
        );
    }
    format!(
        "all connection slots are in use; a superuser can still connect through \
         superuser_reserved_connections, and on PostgreSQL 16+ a role granted \
         pg_use_reserved_connections ({RESERVED_GRANT}) through reserved_connections"
    )
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum ConnError {
    /// An option or its value is invalid or not supported yet; nothing was contacted.
    #[error("{0}")]
    Invalid(String),
    /// The server refused the connection (authentication, unknown role or database, too many
    /// connections...). `at` is libpq's `on socket "..."` / `at "host", port N`.
    #[error("connection to server {at} failed: {}", server_text(.sqlstate, .severity, .message, .detail.as_deref(), .hint.as_deref()))]
    /// (Boxed strings keep `Result<_, ConnError>` small: clippy's `result_large_err`.)
    Server {
        at: Box<str>,
        sqlstate: Box<str>,
        severity: Box<str>,
        message: Box<str>,
        detail: Option<Box<str>>,
        hint: Option<Box<str>>,
    },
    /// The server could not be reached (no socket, refused, unknown host name...). Whole message.
    #[error("{0}")]
    Unreachable(String),
    /// The connection broke or misbehaved after it was opened. Whole message.
    #[error("{0}")]
    Io(String),
    /// TLS could not be set up as asked (not offered, handshake or certificate check failed).
    #[error("connection to server {at} failed: {message}")]
    Tls { at: String, message: String },
    /// The server is not what target_session_attrs asks for (read-only, standby...).
    #[error("connection to server {at} failed: {message}")]
    WrongKind { at: String, message: String },
    /// The server asked for a password and none was given (the place to prompt, later).
    #[error("connection to server {at} failed: fe_sendauth: no password supplied")]
    NoPassword { at: String },
    /// The client-side deadline (`connect_timeout`) expired.
    #[error("connection to server {at} failed: timeout expired")]
    Timeout { at: String },
    /// The deadline expired although the server accepts connections: the login itself hung.
    #[error(
        "connection to server {at} failed: timeout expired; the server accepts connections but \
         the login did not finish: it may wait on a lock on a catalog (pg_authid, pg_database) \
         held by an open transaction, or the server is stopped or overloaded"
    )]
    LoginTimeout { at: String },
    /// Every host of a multi-host target failed; one error per host, in order.
    #[error("{}", join(.0))]
    AllHostsFailed(Vec<ConnError>),
}

impl ConnError {
    /// The one-line message, the 53300 grant naming `login` (quoted as an identifier if need be).
    pub fn for_login(&self, login: &str) -> String {
        let plain = !login.is_empty()
            && login
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        let role = if plain {
            login.to_owned()
        } else {
            format!("\"{}\"", login.replace('"', "\"\""))
        };
        self.to_string().replace("TO <role>", &format!("TO {role}"))
    }

    /// What kind of failure this is for the operator (and for the link shown in the header).
    pub fn kind(&self) -> crate::failure::Kind {
        use crate::failure::Kind;
        match self {
            Self::Server { sqlstate, .. } => Kind::of_sqlstate(sqlstate),
            Self::Timeout { .. } | Self::LoginTimeout { .. } => Kind::Timeout,
            Self::NoPassword { .. } => Kind::Permission,
            Self::Invalid(_) => Kind::Client,
            Self::AllHostsFailed(errors) => {
                errors.first().map_or(Kind::Connection, ConnError::kind)
            }
            Self::Unreachable(_) | Self::Io(_) | Self::Tls { .. } | Self::WrongKind { .. } => {
                Kind::Connection
            }
        }
    }

    /// The server's SQLSTATE (for several hosts, the first one that has one).
    pub fn sqlstate(&self) -> Option<&str> {
        match self {
            Self::Server { sqlstate, .. } => Some(sqlstate.as_ref()),
            Self::AllHostsFailed(errors) => errors.iter().find_map(ConnError::sqlstate),
            _ => None,
        }
    }

    /// Classifies a tokio-postgres connect error. tokio-postgres keeps its error kinds private,
    /// so "could not open the socket" is told apart by its wording and the io source.
    pub(super) fn from_pg(e: &tokio_postgres::Error, at: &str) -> ConnError {
        if let Some(db) = e.as_db_error() {
            return ConnError::Server {
                at: at.into(),
                sqlstate: db.code().code().into(),
                severity: clean(db.severity()).into(),
                message: clean(db.message()).into(),
                detail: db.detail().map(|d| clean(d).into()),
                hint: db.hint().map(|h| clean(h).into()),
            };
        }
        let top = e.to_string();
        let source = e.source();
        if top == "error performing TLS handshake" {
            return ConnError::Tls {
                at: at.to_owned(),
                message: clean(&super::tls_error::text(source)),
            };
        }
        let io = source.and_then(|s| s.downcast_ref::<io::Error>());
        let source_text = source.map(ToString::to_string).unwrap_or_default();
        if source_text == "password missing" {
            return ConnError::NoPassword { at: at.to_owned() };
        }
        if let Some(io) = io {
            if io.kind() == io::ErrorKind::TimedOut {
                return ConnError::Timeout { at: at.to_owned() };
            }
            if top.starts_with("error connecting to server") {
                return ConnError::Unreachable(unreachable_text(at, io));
            }
            if io.kind() == io::ErrorKind::UnexpectedEof {
                return closed(at);
            }
        }
        if e.is_closed() {
            return closed(at);
        }
        let detail = if source_text.is_empty() {
            top
        } else {
            format!("{top}: {source_text}")
        };
        ConnError::Io(format!(
            "connection to server {at} failed: {}",
            clean(&detail)
        ))
    }

    /// A host name that does not resolve (libpq's wording).
    pub(super) fn dns(host: &str, e: &io::Error) -> ConnError {
        let msg = io_text(e);
        let msg = msg
            .strip_prefix("failed to lookup address information: ")
            .unwrap_or(&msg);
        ConnError::Unreachable(format!(
            "could not translate host name \"{host}\" to address: {}",
            clean(msg)
        ))
    }

    /// One error for several failed hosts, or the only one as it is.
    pub(super) fn from_attempts(mut errors: Vec<ConnError>) -> ConnError {
        match errors.len() {
            0 => ConnError::Invalid("no host to connect to".to_owned()),
            1 => errors.remove(0),
            _ => ConnError::AllHostsFailed(errors),
        }
    }
}

fn closed(at: &str) -> ConnError {
    ConnError::Io(format!(
        "connection to server {at} failed: server closed the connection unexpectedly"
    ))
}

fn unreachable_text(at: &str, e: &io::Error) -> String {
    let msg = match io_text(e).as_str() {
        // tokio-postgres' words for a failed target_session_attrs check; libpq's instead.
        "database does not allow writes" => "session is read-only".to_owned(),
        "database is not read only" => "session is not read-only".to_owned(),
        other => other.to_owned(),
    };
    let hint = if e.kind() == io::ErrorKind::PermissionDenied && msg.starts_with("session is") {
        ""
    } else if at.starts_with("on socket") {
        " (is the server running locally and accepting connections on that socket?)"
    } else {
        " (is the server running on that host and accepting TCP/IP connections?)"
    };
    format!("connection to server {at} failed: {}{hint}", clean(&msg))
}

/// strerror-like text: Rust appends " (os error N)", libpq does not.
fn io_text(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_owned(),
        _ => text,
    }
}

fn server_text(
    sqlstate: &str,
    severity: &str,
    message: &str,
    detail: Option<&str>,
    hint: Option<&str>,
) -> String {
    let detail = detail.map(|d| format!(" DETAIL:  {d}")).unwrap_or_default();
    let hint = hint.map(|h| format!(" HINT:  {h}")).unwrap_or_default();
    let extra = if sqlstate == "53300" {
        format!(" ({})", too_many_hint(message))
    } else {
        String::new()
    };
    format!("{severity}:  {message}{detail}{hint}{extra}")
}

fn join(errors: &[ConnError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Server text may carry control characters (a hostile role or database name is echoed back):
/// they must not reach the terminal raw, nor break the one-line message.
pub(super) fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}
