//! The control task: runs the operator's actions (cancel, terminate, details, EXPLAIN) on its
//! own connection, so that an action never waits behind a slow refresh and a refresh never
//! waits behind an action. Jobs run concurrently; none is dropped. When that connection cannot
//! be opened (a full server: 53300, or any connect failure) a job runs on the monitoring
//! connection, lent between two refreshes (see [`crate::lend`]), and its result says so; EXPLAIN,
//! which needs a connection to the backend's own database, is refused with the reason.

pub mod details;
pub mod explain;
pub mod explain_role;
pub mod explain_statement;
pub mod log;
pub mod signal;
mod time;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::mpsc;
use tokio_postgres::Client;

use crate::conn::{self, Target};
use crate::effect::{Done, Job};
use crate::failure::{Failure, Kind};
use crate::lend::{Ask, Lease};
pub use signal::SignalPermit;

pub const APPLICATION_NAME: &str = "pgscope-control";
/// As the monitoring session's (collect/session.rs), SQL_ASCII client encoding included.
const SETUP: &str = "SET statement_timeout = '15s'; SET lock_timeout = '1s'; \
                     SET default_transaction_read_only = on; SET search_path = pg_catalog, pg_temp; \
                     SELECT set_config('client_encoding', 'SQL_ASCII', false) \
                      WHERE current_setting('server_encoding') = 'SQL_ASCII'";

/// A job's client-side deadline: past the control session's statement_timeout (15 s) and a
/// signal's polling, so it only fires when the server or the network froze.
const JOB_DEADLINE: Duration = Duration::from_secs(25);
/// The control connection is closed this long after its last job, so that pgscope holds one
/// connection in the steady state, not two.
const IDLE_CLOSE: Duration = Duration::from_secs(10);

/// What the control task needs to know about the server and the operator.
pub struct Context {
    pub target: Target,
    pub version_num: i32,
    pub login: String,
    /// `None` in read-only mode: signal jobs are then impossible to run.
    pub permit: Option<SignalPermit>,
    /// Where to ask for the monitoring connection when the control connection cannot be
    /// opened; `None` where there is none to lend (a one-shot command).
    pub lend: Option<mpsc::UnboundedSender<Ask>>,
}

/// How long a job waits for the monitoring connection (a refresh in flight takes at most its
/// 5 s deadline); longer means it is down too, and the job fails saying so.
const LEASE_WAIT: Duration = Duration::from_secs(10);
/// The statement_timeout a job gets on the lent connection, as on the control connection (the
/// monitoring session's 3 s would cut a terminate's 5 s wait); the collect task restores its own.
const LENT_SETUP: &str = "SET statement_timeout = '15s'";

type JobFuture<'a> = Pin<Box<dyn Future<Output = Done> + Send + 'a>>;

/// Runs until the app drops its sender.
pub async fn run(
    ctx: Context,
    mut jobs: mpsc::UnboundedReceiver<Job>,
    done: mpsc::UnboundedSender<Done>,
) {
    let mut client: Option<Arc<Client>> = None;
    let mut running: FuturesUnordered<JobFuture<'_>> = FuturesUnordered::new();
    let mut idle_since = tokio::time::Instant::now();
    loop {
        let idle = client.is_some() && running.is_empty();
        tokio::select! {
            () = tokio::time::sleep_until(idle_since + IDLE_CLOSE), if idle => {
                client = None;
            }
            job = jobs.recv() => {
                let Some(job) = job else { return };
                assert!(
                    !crate::fault::injected("panic@control"),
                    "fault injected in the action task (PGSCOPE_FAULT)"
                );
                // Jobs in flight keep their own handle on an old client; a lost connection is
                // replaced for the next job.
                let usable = client.as_ref().filter(|c| !c.is_closed()).cloned();
                let c = match usable {
                    Some(c) => c,
                    None => match connect(&ctx.target).await {
                        Ok(c) => {
                            let c = Arc::new(c);
                            client = Some(Arc::clone(&c));
                            c
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "control connection failed");
                            match fallback(&ctx, &job, &e) {
                                Ok(notice) => {
                                    let _ = done.send(Done::Notice(notice));
                                    running.push(Box::pin(on_monitoring(&ctx, e, job)));
                                }
                                Err(refused) => {
                                    let _ = done.send(Done::Failed(refused));
                                }
                            }
                            continue;
                        }
                    },
                };
                running.push(Box::pin(with_deadline(&ctx, c, job, None)));
            }
            Some(result) = running.next(), if !running.is_empty() => {
                idle_since = tokio::time::Instant::now();
                if done.send(result).is_err() {
                    return;
                }
            }
        }
    }
}

async fn connect(target: &Target) -> Result<Client, Failure> {
    let client = conn::connect(target, APPLICATION_NAME)
        .await
        .map_err(|e| Failure {
            kind: e.kind(),
            sqlstate: e.sqlstate().map(str::to_owned),
            message: format!("control connection: {}", e.for_login(target.user())),
        })?;
    client.batch_execute(SETUP).await.map_err(|e| {
        let f = crate::collect::rows::failure(&e);
        Failure {
            message: format!("control connection: {}", f.message),
            ..f
        }
    })?;
    Ok(client)
}

fn what(job: &Job) -> &'static str {
    match job {
        Job::Signal(req) => req.kind.verb(),
        Job::Details(_) => "details",
        Job::Explain(_) => "EXPLAIN",
        Job::CopyText(_) => "copy",
        Job::ExactSize { .. } => "exact size",
        Job::StatementText(_) => "statement text",
        Job::ExplainStatement(_) => "EXPLAIN",
    }
}

/// The control connection could not be opened: what the screen says while the job waits for
/// the monitoring connection, or the refusal of a job that cannot run there (EXPLAIN plans in
/// the backend's own database, over a connection of its own, and planning could hold the
/// monitoring connection for seconds: it is refused rather than tried there).
fn fallback(ctx: &Context, job: &Job, cause: &Failure) -> Result<String, Failure> {
    if ctx.lend.is_none() {
        return Err(cause.clone());
    }
    if let Job::Explain(req) = job {
        return Err(Failure {
            message: format!(
                "EXPLAIN needs a connection to database \"{}\" and none can be opened: {}",
                req.datname, cause.message
            ),
            ..cause.clone()
        });
    }
    if let Job::ExplainStatement(_) = job {
        return Err(Failure {
            message: format!(
                "EXPLAIN needs a connection to the statement's database and none can be opened: {}",
                cause.message
            ),
            ..cause.clone()
        });
    }
    Ok(format!(
        "{}: no control connection ({}); running over the monitoring connection after this refresh…",
        what(job),
        cause
            .sqlstate
            .as_deref()
            .map_or_else(|| cause.message.clone(), |code| format!("SQLSTATE {code}"))
    ))
}

/// Runs `job` on the lent monitoring connection, waiting at most [`LEASE_WAIT`] for it.
async fn on_monitoring(ctx: &Context, cause: Failure, job: Job) -> Done {
    let Some(lend) = &ctx.lend else {
        return Done::Failed(cause);
    };
    let (tx, rx) = tokio::sync::oneshot::channel();
    let lease: Option<Lease> = if lend.send(Ask(tx)).is_ok() {
        tokio::time::timeout(LEASE_WAIT, rx)
            .await
            .ok()
            .and_then(Result::ok)
    } else {
        None
    };
    let Some(lease) = lease else {
        return Done::Failed(Failure {
            message: format!(
                "{}; the monitoring connection was not free within {} s either (it may be \
                 reconnecting): nothing was done",
                cause.message,
                LEASE_WAIT.as_secs()
            ),
            ..cause
        });
    };
    // Under a deadline too: the collect task waits for the lease to come back.
    match tokio::time::timeout(LEASE_WAIT, lease.client.batch_execute(LENT_SETUP)).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return Done::Failed(crate::collect::rows::failure(&e)),
        Err(_) => {
            return Done::Failed(Failure::new(
                Kind::Timeout,
                "the monitoring connection did not answer: nothing was done",
            ));
        }
    }
    let via = cause.to_string();
    tracing::info!(action = what(&job), cause = %via, "running over the monitoring connection");
    let done = with_deadline(ctx, Arc::clone(&lease.client), job, Some(via)).await;
    drop(lease);
    done
}

/// A frozen server or network must not leave a job pending forever. A signal's outcome is then
/// unknown, and the message says so rather than guess. `via`: why the job runs over the
/// monitoring connection, when it does.
async fn with_deadline(ctx: &Context, client: Arc<Client>, job: Job, via: Option<String>) -> Done {
    let what = what(&job);
    let secs = JOB_DEADLINE.as_secs();
    log_job(&job);
    let Ok(done) = tokio::time::timeout(JOB_DEADLINE, execute(ctx, client, job, via)).await else {
        tracing::warn!(
            action = what,
            "no answer within the job deadline; outcome unknown"
        );
        return Done::Failed(Failure::new(
            Kind::Timeout,
            format!("{what}: the server did not answer within {secs}s; the outcome is unknown"),
        ));
    };
    log_done(&done);
    done
}

fn log_job(job: &Job) {
    match job {
        Job::Signal(req) => {
            let pids: Vec<i32> = req.targets.iter().map(|t| t.pid).collect();
            tracing::info!(action = req.kind.verb(), ?pids, "action requested");
        }
        Job::Details(req) => tracing::debug!(pid = req.pid, "details requested"),
        Job::CopyText(req) => tracing::debug!(pid = req.pid, "full text requested for a copy"),
        Job::ExactSize { relid, .. } => tracing::debug!(relid, "exact size requested"),
        Job::Explain(req) => {
            tracing::info!(pid = req.pid, dbname = %req.datname, "EXPLAIN requested");
        }
        Job::StatementText(s) => {
            tracing::debug!(queryid = ?s.key.queryid, "statement text requested");
        }
        Job::ExplainStatement(r) => tracing::info!(
            queryid = ?r.statement.key.queryid, dbid = r.statement.key.dbid,
            "EXPLAIN of a statement requested"
        ),
    }
}

fn log_done(done: &Done) {
    match done {
        Done::Signal { report, log_error } => {
            for (target, outcome) in &report.results {
                tracing::info!(
                    action = report.kind.verb(), pid = target.pid, outcome = %outcome.describe(),
                    "action outcome"
                );
            }
            if let Some(e) = log_error {
                tracing::warn!(error = %e, "action log not written");
            }
        }
        Done::Details(d) => {
            if let Some(e) = &d.error {
                tracing::debug!(pid = d.pid, error = %e, "details failed");
            } else {
                tracing::debug!(pid = d.pid, truncated = d.truncated, "details fetched");
            }
        }
        Done::Explain(r) => match &r.result {
            Ok(_) => tracing::info!(pid = r.pid, "EXPLAIN done"),
            Err(e) => tracing::info!(pid = r.pid, error = %e, "EXPLAIN refused or failed"),
        },
        Done::CopyText(t) => match &t.text {
            Ok(q) => tracing::debug!(pid = t.pid, chars = q.chars().count(), "full text read"),
            Err(e) => tracing::debug!(pid = t.pid, error = %e, "full text not read"),
        },
        Done::ExactSize { relid, result, .. } => match result {
            Ok(size) => tracing::debug!(relid, ?size, "exact size measured"),
            Err(e) => tracing::debug!(relid, error = %e, "exact size not measured"),
        },
        Done::StatementText(t) => match &t.text {
            Ok(q) => tracing::debug!(
                queryid = ?t.key.queryid, chars = q.as_ref().map(|q| q.chars().count()),
                took_us = t.took_us, "statement text read"
            ),
            Err(e) => {
                tracing::debug!(queryid = ?t.key.queryid, error = %e, "statement text not read");
            }
        },
        Done::ExplainStatement(r) => match &r.result {
            Ok(_) => tracing::info!(queryid = ?r.key.queryid, "EXPLAIN of a statement done"),
            Err(e) => tracing::info!(
                queryid = ?r.key.queryid, error = %e, "EXPLAIN of a statement refused or failed"
            ),
        },
        Done::Failed(e) => tracing::warn!(error = %e, "action failed"),
        Done::Notice(text) => tracing::info!(%text, "action notice"),
    }
}

async fn execute(ctx: &Context, client: Arc<Client>, job: Job, via: Option<String>) -> Done {
    match job {
        Job::Signal(req) => match &ctx.permit {
            Some(permit) => {
                let mut report = signal::run(permit, &client, ctx.version_num, req).await;
                report.via_monitoring = via;
                let when = chrono::Utc::now()
                    .format("%Y-%m-%dT%H:%M:%S%.3fZ")
                    .to_string();
                let log_error =
                    log::append(&report, &ctx.login, &ctx.target.describe(), &when).err();
                Done::Signal { report, log_error }
            }
            None => Done::Failed(Failure::new(Kind::Client, "disabled (read-only)")),
        },
        Job::Details(req) => Done::Details(details::fetch(&client, ctx.version_num, &req).await),
        Job::CopyText(req) => Done::CopyText(details::full_text(&client, &req).await),
        Job::Explain(req) => {
            Done::Explain(explain::run(&client, &ctx.target, ctx.version_num, req).await)
        }
        Job::StatementText(statement) => {
            Done::StatementText(explain_statement::full_text(&client, &statement).await)
        }
        Job::ExplainStatement(req) => Done::ExplainStatement(
            explain_statement::run(&client, &ctx.target, ctx.version_num, req).await,
        ),
        Job::ExactSize { relid, datname } => {
            let result = match datname.as_deref() {
                // Oids are per database: another one is measured on a connection to it.
                Some(d) if d != ctx.target.dbname() => {
                    crate::panes::tables::size::exact_size_in(&ctx.target, d, relid).await
                }
                _ => crate::panes::tables::size::exact_size(&client, relid)
                    .await
                    .map_err(|e| e.to_string()),
            };
            Done::ExactSize {
                relid,
                datname,
                result,
            }
        }
    }
}
