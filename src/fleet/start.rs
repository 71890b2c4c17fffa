//! Before the screen: every server's first connection attempt, concurrently, and psql's password
//! prompt once per distinct host and login for those that asked for one nobody gave (pgpass and
//! service files are read by the connection code as for one server; never argv). A server that
//! is slow to answer does not hold the start: its attempt goes on in its collector.

use std::collections::BTreeMap;
use std::time::Duration;

use super::open::{self, OpenFail, Opened};
use super::targets::{Server, login_key};
use super::task::First;
use crate::conn;

/// How long the start waits for first attempts before showing the screen.
const START_WAIT: Duration = Duration::from_secs(2);

fn attempt(server: &Server) -> First {
    let target = server.target.clone();
    tokio::spawn(async move { open::open(&target).await })
}

/// The first attempt of every server, as the collectors take them over.
pub async fn first_attempts(servers: &mut [Server], no_password: bool) -> Vec<Option<First>> {
    let mut handles: Vec<First> = servers.iter().map(attempt).collect();
    let deadline = tokio::time::Instant::now() + START_WAIT;
    let mut done: Vec<Option<Result<Opened, OpenFail>>> = Vec::with_capacity(handles.len());
    for h in &mut handles {
        done.push(match tokio::time::timeout_at(deadline, h).await {
            Ok(Ok(result)) => Some(result),
            Ok(Err(_)) | Err(_) => None,
        });
    }
    // One prompt per host and login that asked for a password.
    let mut asked: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    if !no_password {
        for (i, result) in done.iter().enumerate() {
            if let Some(Err(e)) = result
                && e.wants_password()
            {
                let key = login_key(&servers[i].target);
                let name = &servers[i].name;
                asked.entry(key).or_insert_with_key(|key| {
                    conn::prompt_password(&format!("Password for user {} ({name}): ", key.1))
                });
            }
        }
    }
    let mut firsts = Vec::with_capacity(handles.len());
    for (i, (handle, result)) in handles.into_iter().zip(done).enumerate() {
        let server = &mut servers[i];
        let password = asked.get(&login_key(&server.target)).cloned().flatten();
        match result {
            Some(Err(e)) if e.wants_password() && password.is_some() => {
                if let Some(p) = password {
                    server.target.set_password(p);
                }
                firsts.push(Some(attempt(server)));
            }
            Some(r) => {
                // A server that shares the host and login of a prompted one uses the answer on
                // its reconnects too.
                if let Some(p) = password {
                    server.target.set_password(p);
                }
                firsts.push(Some(tokio::spawn(async move { r })));
            }
            None => firsts.push(Some(handle)),
        }
    }
    firsts
}
