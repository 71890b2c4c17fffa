//! The fleet's servers from the command line: each word a name or group of the `[fleet]`
//! section (config file, then `--fleet FILE`), else a target as pgscope accepts one (conninfo,
//! URI, `service=NAME`), resolved by the same code as the main command.

use std::time::Duration;

use super::config::Section;
use crate::conn::{self, ConnArgs, Target};

/// A server without a `connect_timeout` of its own waits this long for a connection: one that
/// never answers is marked unreachable instead of stalling its line forever.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// One server of the fleet.
#[derive(Clone)]
pub struct Server {
    /// What the fleet shows: the `[fleet]` name, or `host:port` of a target given as is.
    pub name: String,
    /// The first group that lists it, if any.
    pub group: Option<String>,
    pub target: Target,
}

/// The servers named by `words` (all of `section`'s when there are none), resolved, in order,
/// each once. The message is psql-like, naming the word it is about.
pub fn select(
    words: &[String],
    section: &Section,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<Server>, String> {
    let mut named: Vec<(Option<String>, String)> = Vec::new();
    if words.is_empty() {
        named.extend(
            section
                .servers
                .iter()
                .map(|(n, c)| (Some(n.clone()), c.clone())),
        );
    }
    for word in words {
        match section.lookup(word) {
            Some(list) => named.extend(list.into_iter().map(|(n, c)| (Some(n), c))),
            None => named.push((None, word.clone())),
        }
    }
    if named.is_empty() {
        return Err("fleet: no servers: name targets, or list them in [fleet.servers] of the config file or a --fleet file".to_owned());
    }
    let mut servers: Vec<Server> = Vec::with_capacity(named.len());
    for (name, conninfo) in named {
        let args = ConnArgs {
            conninfo: Some(conninfo.clone()),
            ..ConnArgs::default()
        };
        let mut target = conn::resolve(&args, env).map_err(|e| match &name {
            Some(n) => format!("fleet: server \"{n}\": {e}"),
            None => e.to_string(),
        })?;
        target.or_connect_timeout(CONNECT_TIMEOUT);
        let mut name = name.unwrap_or_else(|| target.short_name());
        if servers.iter().any(|s| s.name == name) {
            // The same server twice is watched once; another database of it gets its own line.
            name = format!("{name}/{}", target.dbname());
            if servers.iter().any(|s| s.name == name) {
                continue;
            }
        }
        let group = section.group_of(&name).map(str::to_owned);
        servers.push(Server {
            name,
            group,
            target,
        });
    }
    Ok(servers)
}

/// Who a password is for: the first host and the login. One prompt serves every server that
/// shares both.
pub fn login_key(target: &Target) -> (String, String) {
    (target.describe(), target.user().to_owned())
}
