//! Precedence: the database argument's conninfo/URI over -h/-p/-U (psql's order), over the
//! service file's entries, over PG* environment variables, over defaults.

use super::error::ConnError;
use super::params::Params;
use super::target::Target;
use super::{ConnArgs, conninfo, keywords, os_user, service, settings, socket, uri};

const PASSWORD_WARNING: &str = "a password on the command line is visible to other users (ps); \
     use ~/.pgpass or a prompt";

/// Resolve args + environment. `env` is injected so tests don't touch the process environment.
pub fn resolve(args: &ConnArgs, env: &dyn Fn(&str) -> Option<String>) -> Result<Target, ConnError> {
    resolve_with(args, env, socket::DEFAULT_DIRS, os_user::name(env))
}

/// [`resolve`] with the default socket directories and the OS user injectable (for tests).
pub(super) fn resolve_with(
    args: &ConnArgs,
    env: &dyn Fn(&str) -> Option<String>,
    socket_dirs: &[&str],
    os_user: Option<String>,
) -> Result<Target, ConnError> {
    // psql's order: -h -p -U, then the database argument, whose connection string (if it is
    // one) overrides them. The positional argument is the database unless -d was given; then it
    // is the user name, as in psql.
    let mut explicit = Params::default();
    let mut extra_warnings = Vec::new();
    let (database, positional_user) = match (&args.dbname, &args.conninfo) {
        (Some(d), Some(p)) if args.user.is_none() && !conninfo::is_conninfo(p) => {
            (Some(d), Some(p))
        }
        (Some(d), Some(p)) => {
            let shown = if conninfo::is_conninfo(p) {
                String::new()
            } else {
                format!(" \"{p}\"")
            };
            extra_warnings.push(format!("extra command-line argument{shown} ignored"));
            if parse_any(p).is_ok_and(|l| l.get("password").is_some()) {
                extra_warnings.push(PASSWORD_WARNING.to_owned());
            }
            (Some(d), None)
        }
        (Some(d), None) => (Some(d), None),
        (None, p) => (p.as_ref(), None),
    };
    for (key, value) in [
        ("host", &args.host),
        ("port", &args.port),
        ("user", &args.user.as_ref().or(positional_user).cloned()),
    ] {
        if let Some(v) = value {
            explicit.set(key, v.as_str())?;
        }
    }
    let mut password_in_argv = false;
    if let Some(d) = database {
        let layer = if conninfo::is_conninfo(d) {
            parse_any(d)?
        } else {
            dbname_only(d)?
        };
        password_in_argv = layer.get("password").is_some();
        explicit.overlay(layer);
    }

    let mut params = env_layer(env)?;
    let pick = |key: &str| explicit.get(key).or(params.get(key)).map(str::to_owned);
    if let Some(name) = pick("service") {
        let file = pick("servicefile");
        let home = os_user::home(env);
        let sysconfdir = env("PGSYSCONFDIR").filter(|d| !d.is_empty());
        let layer = service::lookup(
            &name,
            file.as_deref(),
            home.as_deref(),
            sysconfdir.as_deref(),
        )?;
        params.overlay(layer);
    }
    params.overlay(explicit);

    let mut warnings = extra_warnings;
    if password_in_argv {
        warnings.push(PASSWORD_WARNING.to_owned());
    }
    settings::build(&params, env, socket_dirs, os_user, warnings)
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
    let mut params = Params::default();
    for (var, keyword) in keywords::ENV {
        // An empty variable counts as unset.
        if let Some(v) = env(var).filter(|v| !v.is_empty()) {
            params
                .set(keyword, v)
                .map_err(|e| ConnError::Invalid(format!("{var} is set, but {e}")))?;
        }
    }
    Ok(params)
}
