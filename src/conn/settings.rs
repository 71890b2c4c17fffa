//! From the merged keyword map to a typed [`Target`]: value validation and defaults.

use std::path::PathBuf;
use std::time::Duration;

use tokio_postgres::config::ChannelBinding;

use super::endpoints::{endpoints, pgpass_passwords};
use super::error::ConnError;
use super::params::Params;
use super::target::{Keepalives, SessionAttrs, Target};
use super::{os_user, tls};

/// Client-side deadline per host when `connect_timeout` is not given: a frozen server never
/// answers, and libpq's default (wait forever) would hang the tool.
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) fn build(
    params: &Params,
    env: &dyn Fn(&str) -> Option<String>,
    socket_dirs: &[&str],
    os_user: Option<String>,
    mut warnings: Vec<String>,
) -> Result<Target, ConnError> {
    let user = match params.get("user") {
        Some(u) => u.to_owned(),
        None => os_user.ok_or_else(|| {
            ConnError::Invalid("could not determine the local user name; give one with -U".into())
        })?,
    };
    let dbname = params.get("dbname").unwrap_or(&user).to_owned();
    let home = os_user::home(env);
    check_unhonoured(params, &mut warnings)?;
    let tls = tls::settings(params, home.as_deref(), &mut warnings)?;
    let endpoints = endpoints(params, socket_dirs)?;
    let password = params.get("password").map(str::to_owned);
    let passfile = params
        .get("passfile")
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(".pgpass")));
    let host_passwords = match (&password, &passfile) {
        (None, Some(file)) => {
            pgpass_passwords(file, &endpoints, &user, &dbname, socket_dirs, &mut warnings)
        }
        _ => vec![None; endpoints.len()],
    };
    Ok(Target {
        endpoints,
        host_passwords,
        passfile,
        dbname,
        user,
        password,
        connect_timeout: connect_timeout(params)?,
        application_name: params.get("application_name").map(str::to_owned),
        fallback_application_name: params.get("fallback_application_name").map(str::to_owned),
        options: params.get("options").map(str::to_owned),
        tls,
        channel_binding: channel_binding(params)?,
        keepalives: keepalives(params)?,
        tcp_user_timeout: positive(params, "tcp_user_timeout")?
            .map(|ms| Duration::from_millis(ms.unsigned_abs())),
        session_attrs: session_attrs(params)?,
        load_balance: load_balance(params)?,
        warnings,
    })
}

fn int(params: &Params, key: &str) -> Result<Option<i64>, ConnError> {
    params
        .get(key)
        .map(|v| {
            v.trim().parse::<i64>().map_err(|_| {
                ConnError::Invalid(format!(
                    "invalid integer value \"{v}\" for connection option \"{key}\""
                ))
            })
        })
        .transpose()
}

/// An integer option where zero or negative means "system default", as in libpq.
fn positive(params: &Params, key: &str) -> Result<Option<i64>, ConnError> {
    Ok(int(params, key)?.filter(|v| *v > 0))
}

fn seconds(params: &Params, key: &str) -> Result<Option<Duration>, ConnError> {
    Ok(positive(params, key)?.map(|s| Duration::from_secs(s.unsigned_abs())))
}

/// libpq: unset or <= 0 waits forever, 1 means 2. Unset here means our default deadline.
fn connect_timeout(params: &Params) -> Result<Option<Duration>, ConnError> {
    Ok(match int(params, "connect_timeout")? {
        None => Some(DEFAULT_CONNECT_TIMEOUT),
        Some(s) if s <= 0 => None,
        Some(s) => Some(Duration::from_secs(s.max(2).unsigned_abs())),
    })
}

fn keepalives(params: &Params) -> Result<Keepalives, ConnError> {
    Ok(Keepalives {
        enabled: int(params, "keepalives")?.is_none_or(|v| v != 0),
        idle: seconds(params, "keepalives_idle")?,
        interval: seconds(params, "keepalives_interval")?,
        count: positive(params, "keepalives_count")?.map(|n| u32::try_from(n).unwrap_or(u32::MAX)),
    })
}

fn session_attrs(params: &Params) -> Result<SessionAttrs, ConnError> {
    Ok(match params.get("target_session_attrs").unwrap_or("any") {
        "any" => SessionAttrs::Any,
        "read-write" => SessionAttrs::ReadWrite,
        "read-only" => SessionAttrs::ReadOnly,
        "primary" => SessionAttrs::Primary,
        "standby" => SessionAttrs::Standby,
        "prefer-standby" => SessionAttrs::PreferStandby,
        v => {
            return Err(ConnError::Invalid(format!(
                "invalid target_session_attrs value: \"{v}\""
            )));
        }
    })
}

fn load_balance(params: &Params) -> Result<bool, ConnError> {
    match params.get("load_balance_hosts").unwrap_or("disable") {
        "disable" => Ok(false),
        "random" => Ok(true),
        v => Err(ConnError::Invalid(format!(
            "invalid load_balance_hosts value: \"{v}\""
        ))),
    }
}

fn channel_binding(params: &Params) -> Result<ChannelBinding, ConnError> {
    match params.get("channel_binding").unwrap_or("prefer") {
        "disable" => Ok(ChannelBinding::Disable),
        "prefer" => Ok(ChannelBinding::Prefer),
        "require" => Ok(ChannelBinding::Require),
        v => Err(ConnError::Invalid(format!(
            "invalid channel_binding value: \"{v}\""
        ))),
    }
}

/// Keywords accepted only for the values pgscope can honour.
fn check_unhonoured(params: &Params, warnings: &mut Vec<String>) -> Result<(), ConnError> {
    if let Some(enc) = params.get("client_encoding")
        && !matches!(enc.to_ascii_uppercase().as_str(), "UTF8" | "UTF-8" | "AUTO")
    {
        warnings.push(format!(
            "client_encoding \"{enc}\" is ignored: pgscope always talks UTF8 to the server"
        ));
    }
    match params.get("gssencmode").unwrap_or("prefer") {
        // Without GSSAPI support "prefer" is plain "disable", as in a libpq built without it.
        "disable" | "prefer" => {}
        "require" => {
            return Err(ConnError::Invalid(
                "gssencmode \"require\" is not supported by pgscope (no GSSAPI support)".into(),
            ));
        }
        v => {
            return Err(ConnError::Invalid(format!(
                "invalid gssencmode value: \"{v}\""
            )));
        }
    }
    // The wire protocol spoken is 3.0.
    for key in ["min_protocol_version", "max_protocol_version"] {
        match params.get(key) {
            None | Some("3.0" | "3.2" | "latest") if key == "max_protocol_version" => {}
            None | Some("3.0") => {}
            Some(v) => {
                return Err(ConnError::Invalid(format!(
                    "{key} \"{v}\" is not supported by pgscope (protocol 3.0 only)"
                )));
            }
        }
    }
    Ok(())
}
