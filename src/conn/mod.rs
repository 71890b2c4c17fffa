//! Connection resolution, libpq style: command line + conninfo/URI + PG* environment -> [`Target`].
//!
//! Every source is first turned into a keyword -> value map with libpq's keyword names
//! ([`params::Params`]); the layers are merged by precedence, and only then is the typed
//! [`Target`] (and from it the `tokio_postgres::Config`) built. Service files, pgpass and TLS
//! plug in as more layers or more keywords without touching the parsers.

mod connect;
mod conninfo;
mod error;
mod keywords;
mod os_user;
mod params;
mod resolve;
mod settings;
mod socket;
mod target;
mod uri;

#[cfg(test)]
mod tests;

pub use connect::connect;
pub use error::ConnError;
pub use resolve::resolve;
pub use target::Target;

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
