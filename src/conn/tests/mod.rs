//! Tests of connection resolution (no server needed; fake servers speak just enough protocol).

mod connect;
mod errors;
mod parse;
mod pgpass;
mod resolve;
mod service;
mod tls;

use super::{ConnArgs, ConnError, Target};

/// An environment from pairs, with `USER=alice` unless given.
fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let mut vars: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    if !vars.iter().any(|(k, _)| k == "USER") {
        vars.push(("USER".to_owned(), "alice".to_owned()));
    }
    move |name: &str| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

/// Resolves with the socket directories of a test (none exist: the first is chosen).
fn resolve_env(args: &ConnArgs, env: &[(&str, &str)]) -> Result<Target, ConnError> {
    let env = env_of(env);
    let os_user = env("USER");
    super::resolve::resolve_with(args, &env, &["/nonexistent-a", "/nonexistent-b"], os_user)
}

fn positional(conninfo: &str) -> ConnArgs {
    ConnArgs {
        conninfo: Some(conninfo.to_owned()),
        ..ConnArgs::default()
    }
}

fn resolved(conninfo: &str) -> Target {
    match resolve_env(&positional(conninfo), &[]) {
        Ok(t) => t,
        Err(e) => panic!("{conninfo}: {e}"),
    }
}

fn error_of(conninfo: &str) -> String {
    match resolve_env(&positional(conninfo), &[]) {
        Ok(t) => panic!("{conninfo}: expected an error, got {t:?}"),
        Err(e) => e.to_string(),
    }
}
