//! Connection resolution, libpq style: command line + conninfo/URI + service file + PG*
//! environment -> [`Target`]; then connecting with pgpass passwords, TLS and session checks.
//!
//! Every source is first turned into a keyword -> value map with libpq's keyword names
//! ([`params::Params`]); the layers are merged by precedence, and only then is the typed
//! [`Target`] (and from it the `tokio_postgres::Config`) built.

mod connect;
mod conninfo;
mod deadline;
mod endpoints;
mod error;
mod keywords;
mod login_probe;
mod os_user;
mod params;
mod pgpass;
mod prompt;
mod resolve;
mod service;
mod session_attrs;
mod settings;
mod socket;
mod target;
mod tls;
mod tls_config;
mod tls_connect;
mod tls_error;
mod uri;

#[cfg(test)]
mod tests;

pub use connect::{Connected, connect, connect_full};
pub use error::ConnError;
pub use prompt::prompt_password;
pub use resolve::resolve;
pub use target::Target;

/// The operating-system user pgscope runs as: the effective uid's passwd entry, else `$USER` or
/// `$LOGNAME`, else `uid N` (root from cron or a service often has neither variable).
pub fn os_user_name(env: &dyn Fn(&str) -> Option<String>) -> String {
    os_user::name(env)
        .or_else(|| env("LOGNAME").filter(|u| !u.is_empty()))
        .unwrap_or_else(|| format!("uid {}", os_user::effective_uid()))
}

/// What the command line gave (psql-style flags and one optional positional conninfo/URI).
#[derive(Debug, Clone, Default)]
pub struct ConnArgs {
    /// `-h`
    pub host: Option<String>,
    /// `-p` (a string: validated during resolution, like libpq)
    pub port: Option<String>,
    /// `-U`
    pub user: Option<String>,
    /// `-d`: may itself be a conninfo string or URI, like psql
    pub dbname: Option<String>,
    /// positional: `key=value` string, `postgres://`/`postgresql://` URI, or a plain dbname
    pub conninfo: Option<String>,
}
