//! Precedence: flags over the conninfo/URI, over PG* environment variables, over defaults.

use super::error::ConnError;
use super::params::Params;
use super::target::Target;
use super::{ConnArgs, conninfo, keywords, settings, socket, uri};

const PASSWORD_WARNING: &str = "a password on the command line is visible to other users (ps); \
     use ~/.pgpass or a prompt";

/// Resolve args + environment. `env` is injected so tests don't touch the process environment.
pub fn resolve(args: &ConnArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Target, ConnError> {
    resolve_with(args, env, socket::DEFAULT_DIRS)
}

/// [`resolve`] with the default socket directories injectable (tests use a temp dir).
pub(super) fn resolve_with(
    args: &ConnArgs,
    env: &dyn Fn(&str) -> Option<String>,
    socket_dirs: &[&str],
) -> Result<Target, ConnError> {
    let mut params = env_layer(env)?;
    let mut password_in_argv = false;

    if let Some(positional) = &args.conninfo {
        let layer = if conninfo::is_conninfo(positional) {
            parse_any(positional)?
        } else {
            dbname_only(positional)?
        };
        password_in_argv |= layer.get("password").is_some();
        params.overlay(layer);
    }

    let mut flags = Params::default();
    if let Some(d) = &args.dbname {
        // Like psql, `-d` may carry a whole conninfo.
        if conninfo::is_conninfo(d) {
            let layer = parse_any(d)?;
            password_in_argv |= layer.get("password").is_some();
            flags.overlay(layer);
        } else {
            flags.set("dbname", d.as_str())?;
        }
    }
    for (key, value) in [
        ("host", &args.host),
        ("port", &args.port),
        ("user", &args.user),
    ] {
        if let Some(v) = value {
            flags.set(key, v.as_str())?;
        }
    }
    params.overlay(flags);

    let warnings = if password_in_argv {
        vec![PASSWORD_WARNING.to_owned()]
    } else {
        Vec::new()
    };
    settings::build(&params, env, socket_dirs, warnings)
}

/// A `key=value` string or a URI.
fn parse_any(s: &str) -> Result<Params, ConnError> {
    let pairs = if uri::has_prefix(s) {
        uri::parse(s)?
    } else {
        conninfo::parse(s)?
    };
    Params::from_pairs(pairs)
}

fn dbname_only(dbname: &str) -> Result<Params, ConnError> {
    let mut p = Params::default();
    p.set("dbname", dbname)?;
    Ok(p)
}

fn env_layer(env: &dyn Fn(&str) -> Option<String>) -> Result<Params, ConnError> {
    for (var, keyword) in keywords::ENV_NOT_YET {
        if env(var).is_some_and(|v| !v.is_empty()) {
            return Err(ConnError::Invalid(format!(
                "{var} is set, but connection option \"{keyword}\" is not supported yet"
            )));
        }
    }
    let mut params = Params::default();
    for (var, keyword) in keywords::ENV {
        // An empty variable counts as unset.
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            params.set(keyword, v)?;
        }
    }
    Ok(params)
}
