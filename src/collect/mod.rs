//! The collect task: owns the monitoring connection, refreshes on a tick, and publishes one
//! owned `Snapshot` per refresh. It never touches UI state. At most one refresh is in flight;
//! a tick that comes while one runs is skipped, never queued.

pub mod capabilities;
pub(crate) mod catalog_lock;
pub mod gate;
pub mod header;
pub mod history;
mod link;
pub mod once;
pub mod pace;
pub mod pane;
pub mod rows;
pub mod sampler;
pub mod session;
pub mod sql;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{mpsc, watch};
use tokio::time::MissedTickBehavior;
use tracing::Instrument;

use crate::conn::Target;
use crate::failure::Failure;
use crate::panes::Pane;
use crate::panes::activity::read as activity;
use crate::panes::replication::read as replication;
use crate::snapshot::{Activity, Link, Pacing, Snapshot};
use gate::Gate;
pub use session::Session;

/// Reconnect delays grow from 1 s and are capped, so a restarting server is picked up quickly
/// and a dead one is not hammered.
const BACKOFF_START: Duration = Duration::from_secs(1);
const BACKOFF_CAP: Duration = Duration::from_secs(10);

/// Where the collect task publishes, and what it listens to.
pub struct Channels {
    pub snapshots: watch::Sender<Option<Arc<Snapshot>>>,
    pub link: watch::Sender<Link>,
    pub interval: watch::Receiver<Duration>,
    /// The focused pane: its data is collected besides the header and activity.
    pub focus: watch::Receiver<Pane>,
    /// Requests to lend the monitoring connection for a job (the control connection could not
    /// be opened); served between two refreshes.
    pub lend: mpsc::UnboundedReceiver<crate::lend::Ask>,
    /// What the panes ask of their reads (the Tables pane's ranking and database).
    pub asks: watch::Receiver<pane::Asks>,
}

/// Per-pane failure gates: a failing query backs off instead of logging an error every tick.
#[derive(Default)]
struct Gates {
    header: Gate,
    activity: Gate,
    summary: Gate,
    panes: pane::Gates,
}

/// Runs until the app drops its receivers. `first` is the session opened before the UI started.
pub async fn run(target: Target, first: Option<Session>, ch: Channels) {
    Box::pin(run_with(
        target,
        first,
        ch,
        sampler::Config::default(),
        true,
    ))
    .await;
}

/// [`run`] with the wait sampler configured, and pacing on or off (`adaptive_interval`: see
/// [`pace`]). Samples are taken between refreshes on the same connection; the history and the
/// measured cost survive reconnects.
#[allow(clippy::too_many_lines)] // one loop: connect, then one arm per event until lost
pub async fn run_with(
    target: Target,
    first: Option<Session>,
    mut ch: Channels,
    sampling: sampler::Config,
    adaptive_interval: bool,
) {
    let mut sampler = sampler::Sampler::new(sampling);
    let mut pacer = pace::Pacer::new(adaptive_interval);
    let mut session = first;
    let mut seq = 0u64;
    let mut backoff = BACKOFF_START;
    let mut gates = Gates::default();
    // Statements sent on the monitoring connection, each its own transaction (TPS leaves them out).
    let mut own_xacts: i64 = 0;
    loop {
        let mut s = match session.take() {
            Some(s) => s,
            None => match session::open(&target).await {
                Ok(s) => {
                    tracing::info!(server = %target.describe(), "reconnected");
                    s
                }
                Err(e) => {
                    tracing::warn!(error = %e, retry_in = ?backoff, "reconnect failed");
                    ch.link.send_replace(Link::Down {
                        cause: session_failure(&e, target.user()),
                        retry_in: backoff,
                    });
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(BACKOFF_CAP);
                    if ch.snapshots.is_closed() {
                        return;
                    }
                    continue;
                }
            },
        };
        ch.link.send_replace(Link::Connected);
        let mut asked = *ch.interval.borrow();
        let mut every = pacer.every(asked);
        let mut ticker = ticker_at(Instant::now(), every);
        // When the last refresh started: a refresh asked for at once (a new pane, a new
        // interval) still waits out the paced interval, so keys cannot outrun the budget.
        let mut last: Option<Instant> = None;
        let mut asks = ch.asks.borrow_and_update().clone();
        let cause = loop {
            tokio::select! {
                _ = ticker.tick() => {}
                changed = ch.interval.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    let first = soonest(last, &pacer, asked, every);
                    asked = *ch.interval.borrow();
                    every = pacer.every(asked);
                    ticker = ticker_at(first, every);
                    continue;
                }
                changed = ch.focus.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    // The new pane should not wait a whole interval for its first data.
                    ticker = ticker_at(soonest(last, &pacer, asked, every), every);
                    continue;
                }
                Some(ask) = ch.lend.recv() => match lend(&s, ask).await {
                    Ok(statements) => { own_xacts += statements; continue; }
                    Err(cause) => break cause,
                },
                changed = ch.asks.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    if follow_asks(&mut ch.asks, &mut asks) {
                        ticker = ticker_at(soonest(last, &pacer, asked, every), every);
                    }
                    continue;
                }
                () = sampler.tick() => {
                    if let Err(cause) = Box::pin(sampler.sample(&s)).await {
                        break cause;
                    }
                    own_xacts += 1;
                    continue;
                }
            }
            seq += 1;
            last = Some(Instant::now());
            let focus = *ch.focus.borrow_and_update();
            own_xacts += statements(focus);
            let on = On {
                target: Some(&target),
                asks: &asks,
                focus,
            };
            match refresh(&s, seq, on, &mut gates).await {
                Ok(mut snapshot) => {
                    if let Ok(info) = &mut snapshot.server {
                        info.own_xacts = own_xacts;
                    }
                    assert!(
                        !crate::fault::injected("panic@collect"),
                        "fault injected in the collect task (PGSCOPE_FAULT)"
                    );
                    backoff = BACKOFF_START;
                    if Box::pin(follow_grants(&mut s, &snapshot, seq)).await {
                        // The new statement gets its chance at the next refresh.
                        gates.activity = Gate::default();
                    }
                    log_slow(&snapshot, every);
                    if let Some(us) = snapshot.pacing.read_us {
                        let sessions = snapshot.activity.as_ref().map_or(0, |a| a.backends.len());
                        let next = pacer.observe(asked, us, sessions, sampler.spend_us_per_s());
                        if next != every {
                            tracing::info!(
                                ?asked, from = ?every, to = ?next, read_us = us, sessions,
                                "pacing: refresh interval changed"
                            );
                            every = next;
                            ticker = ticker_at(Instant::now() + every, every);
                        }
                    }
                    snapshot.pacing = Pacing {
                        asked,
                        every,
                        read_us: pacer.cost_us(),
                    };
                    sampler.observe(&snapshot, every);
                    pane::after(&sampler, &mut snapshot, focus);
                    if ch.snapshots.send(Some(Arc::new(snapshot))).is_err() {
                        return;
                    }
                }
                Err(cause) => break cause,
            }
        };
        // The first retry comes at once: after an admin kill the server is usually fine.
        tracing::warn!(%cause, "monitoring connection lost; reconnecting");
        ch.link.send_replace(Link::Down {
            cause,
            retry_in: Duration::ZERO,
        });
        drop(s);
    }
}

/// Takes what the panes ask now; true when it should be read at once. A new ranking or
/// database is; a new selection waits for the next tick, so that moving through the list sends
/// nothing extra.
fn follow_asks(rx: &mut watch::Receiver<pane::Asks>, asks: &mut pane::Asks) -> bool {
    let now = rx.borrow_and_update().clone();
    let at_once = now.tables.ranking() != asks.tables.ranking();
    *asks = now;
    at_once
}

/// Why a new session could not be opened, with its kind and SQLSTATE.
/// Hands the monitoring connection over for one job and waits until the lease is dropped (the
/// control task's job deadline bounds it), then restores the session's own statement_timeout,
/// which the job may have raised.
/// Returns the statements sent on it for pgscope's own (about: a job's count varies).
async fn lend(s: &Session, ask: crate::lend::Ask) -> Result<i64, Failure> {
    let (lease, back) = crate::lend::Lease::new(Arc::clone(&s.client));
    if ask.0.send(lease).is_err() {
        return Ok(0);
    }
    tracing::info!("monitoring connection lent for an action");
    let _ = back.await;
    let restore = format!(
        "SET statement_timeout = '{}ms'",
        session::STATEMENT_TIMEOUT.as_millis()
    );
    tokio::time::timeout(session::DEADLINE, s.client.batch_execute(&restore))
        .await
        .map_err(|_| link::no_answer(session::DEADLINE))?
        .map_err(|e| rows::failure(&e))?;
    Ok(3)
}

fn session_failure(e: &session::SessionError, login: &str) -> Failure {
    match e {
        session::SessionError::Connect(c) => Failure {
            kind: c.kind(),
            sqlstate: c.sqlstate().map(str::to_owned),
            message: c.for_login(login),
        },
        session::SessionError::Setup(p) => rows::failure_of(p),
        session::SessionError::Deadline => link::no_answer(session::DEADLINE),
    }
}

/// A refresh that took a second or more, or half the interval, is worth a line in the log.
fn log_slow(snapshot: &Snapshot, every: Duration) {
    if snapshot.elapsed >= Duration::from_secs(1) || snapshot.elapsed >= every / 2 {
        tracing::info!(seq = snapshot.seq, elapsed = ?snapshot.elapsed, interval = ?every, "slow refresh");
    } else {
        tracing::trace!(seq = snapshot.seq, elapsed = ?snapshot.elapsed, "refresh");
    }
}

/// Refreshes between looks at whether a revoked grant came back.
const GRANT_RECHECK: u64 = 30;

/// EXECUTE on pg_blocking_pids may change while connected: a permission error from the
/// activity statement with blocked-by on, or now and then with it off, prompts a look. True
/// when the statement was prepared again.
async fn follow_grants(s: &mut Session, snapshot: &Snapshot, seq: u64) -> bool {
    let denied = matches!(&snapshot.activity, Err(e) if e.sqlstate.as_deref() == Some("42501"));
    let look = if s.caps.can_blocking_pids {
        denied
    } else {
        seq.is_multiple_of(GRANT_RECHECK)
    };
    look && s.follow_blocking_pids_grant().await.unwrap_or(false)
}

/// Ticks at `first`, then every `every`; a late tick is skipped, never made up for.
fn ticker_at(first: Instant, every: Duration) -> tokio::time::Interval {
    let mut t = tokio::time::interval_at(first.into(), every);
    t.set_missed_tick_behavior(MissedTickBehavior::Skip);
    t
}

/// When a refresh asked for at once may start: now, or while paced, a paced interval after the
/// last one started.
fn soonest(
    last: Option<Instant>,
    pacer: &pace::Pacer,
    asked: Duration,
    every: Duration,
) -> Instant {
    let now = Instant::now();
    match last {
        Some(l) if pacer.paced(asked) => (l + every).max(now),
        _ => now,
    }
}

/// One refresh outside the task, for tests and one-shot uses (no wait history: the sampler
/// lives in the task).
pub async fn refresh_once(s: &Session, focus: Pane) -> Result<Snapshot, Failure> {
    let on = On {
        target: None,
        asks: &pane::Asks::default(),
        focus,
    };
    refresh_once_on(s, on).await
}

/// [`refresh_once`] with what the panes ask, and how to reach other databases.
pub async fn refresh_once_on(s: &Session, on: On<'_>) -> Result<Snapshot, Failure> {
    let focus = on.focus;
    let mut snapshot = refresh(s, 1, on, &mut Gates::default()).await?;
    let sampler = sampler::Sampler::new(sampler::Config::default());
    pane::after(&sampler, &mut snapshot, focus);
    Ok(snapshot)
}

/// Statements one refresh sends: header, sessions and the replication summary, plus the
/// focused pane's.
fn statements(focus: Pane) -> i64 {
    3 + pane::statements(focus)
}

/// What one refresh reads: the focused pane, what the panes ask, and how the monitoring
/// connection was reached (for a pane that reads another database).
#[derive(Clone, Copy)]
pub struct On<'a> {
    pub target: Option<&'a Target>,
    pub asks: &'a pane::Asks,
    pub focus: Pane,
}

/// One refresh: every visible pane's query, pipelined on the one connection. `Err` means the
/// connection is unusable (lost, or the server froze past the client-side deadline).
async fn refresh(
    s: &Session,
    seq: u64,
    on: On<'_>,
    gates: &mut Gates,
) -> Result<Snapshot, Failure> {
    let On {
        target,
        asks,
        focus,
    } = on;
    let started = Instant::now();
    // Each query runs in a span named after its pane, so a failure logged by its gate says
    // which pane failed.
    let header = gates
        .header
        .run(seq, header::collect(&s.client, &s.header))
        .instrument(tracing::debug_span!("pane", name = "header"));
    // Activity is always read: the header's counts come from it.
    let activity = gates
        .activity
        .run(seq, async {
            catalog_lock::name_holder(&s.client, activity::collect(&s.client, &s.activity).await)
                .await
        })
        .instrument(tracing::debug_span!("pane", name = "activity"));
    // Boxed: the holder lookup on a lock timeout would make every refresh future large.
    let activity = Box::pin(activity);
    // The header's replication summary is read every refresh.
    let summary = replication::summary(&s.client, &s.panes.replication, seq, &mut gates.summary)
        .instrument(tracing::debug_span!("pane", name = "replication summary"));
    // Each pane reads what it needs: its part while it is on screen.
    let panes = Box::pin(
        pane::read(
            &s.client,
            target,
            asks,
            &s.caps,
            seq,
            focus,
            &s.panes,
            &mut gates.panes,
        )
        .instrument(tracing::debug_span!(
            "pane",
            name = focus.name().to_ascii_lowercase().as_str()
        )),
    );
    let all = async { tokio::join!(header, activity, summary, panes) };
    let Ok((server, backends, replication_summary, panes)) =
        tokio::time::timeout(session::DEADLINE, all).await
    else {
        return Err(link::no_answer(session::DEADLINE));
    };
    if s.client.is_closed() {
        return Err(link::lost(server.err().or(backends.err()).as_ref()));
    }
    let taken_at = rows::to_micros(SystemTime::now());
    let (backends, read_us) = match backends {
        Ok((b, us)) => (Ok(b), us),
        Err(e) => (Err(e), None),
    };
    let now = server.as_ref().map_or(taken_at, |info| info.now);
    Ok(Snapshot {
        seq,
        taken_at,
        elapsed: started.elapsed(),
        caps: Arc::clone(&s.caps),
        server,
        activity: backends.map(|backends| Activity {
            now,
            backends,
            own_pid: s.own_pid,
        }),
        replication_summary: Some(replication_summary),
        panes,
        // Completed by the pacer, which lives across refreshes too.
        pacing: Pacing {
            read_us,
            ..Pacing::default()
        },
    })
}
