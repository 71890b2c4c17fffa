//! The collect task: owns the monitoring connection, refreshes on a tick, and publishes one
//! owned `Snapshot` per refresh. It never touches UI state. At most one refresh is in flight;
//! a tick that comes while one runs is skipped, never queued.

pub mod activity;
pub mod capabilities;
mod catalog_lock;
mod gate;
pub mod header;
pub mod history;
pub mod locks;
pub mod pace;
pub mod progress;
pub mod replication;
pub mod rows;
pub mod sampler;
pub mod session;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use crate::conn::Target;
use crate::pane::Pane;
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
}

/// Per-pane failure gates: a failing query backs off instead of logging an error every tick.
#[derive(Default)]
struct Gates {
    header: Gate,
    activity: Gate,
    locks: Gate,
    progress: progress::Gates,
    replication: replication::Gates,
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
                Ok(s) => s,
                Err(e) => {
                    ch.link.send_replace(Link::Down {
                        cause: e.to_string(),
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
            match refresh(&s, seq, focus, &mut gates).await {
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
                    if let Some(us) = snapshot.pacing.read_us {
                        let sessions = snapshot.activity.as_ref().map_or(0, |a| a.backends.len());
                        let next = pacer.observe(asked, us, sessions, sampler.spend_us_per_s());
                        if next != every {
                            every = next;
                            ticker = ticker_at(Instant::now() + every, every);
                        }
                    }
                    snapshot.pacing = Pacing {
                        asked,
                        every,
                        read_us: pacer.cost_us(),
                    };
                    sampler.observe(&mut snapshot, focus, every);
                    if ch.snapshots.send(Some(Arc::new(snapshot))).is_err() {
                        return;
                    }
                }
                Err(cause) => break cause,
            }
        };
        // The first retry comes at once: after an admin kill the server is usually fine.
        ch.link.send_replace(Link::Down {
            cause,
            retry_in: Duration::ZERO,
        });
        drop(s);
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

/// One refresh outside the task, for tests and one-shot uses.
pub async fn refresh_once(s: &Session, focus: Pane) -> Result<Snapshot, String> {
    refresh(s, 1, focus, &mut Gates::default()).await
}

/// Statements one refresh sends: header, sessions and the replication summary, plus the
/// focused pane's (a failing one backing off sends fewer; TPS then errs by a little).
fn statements(focus: Pane) -> i64 {
    3 + match focus {
        Pane::Locks => 1,
        Pane::Progress => 4,
        Pane::Replication => 6,
        _ => 0,
    }
}

/// One refresh: every visible pane's query, pipelined on the one connection. `Err` means the
/// connection is unusable (lost, or the server froze past the client-side deadline).
async fn refresh(
    s: &Session,
    seq: u64,
    focus: Pane,
    gates: &mut Gates,
) -> Result<Snapshot, String> {
    // Activity is always read: the header's counts come from it.
    let _ = focus;
    let started = Instant::now();
    let header = gates.header.run(seq, header::collect(&s.client, &s.header));
    // Boxed: the holder lookup on a lock timeout would make every refresh future large.
    let activity = Box::pin(gates.activity.run(seq, async {
        catalog_lock::name_holder(&s.client, activity::collect(&s.client, &s.activity).await).await
    }));
    // The Locks pane reads pg_locks only while it is on screen.
    let locks_gate = &mut gates.locks;
    let locks = async move {
        match focus {
            Pane::Locks => Some(
                Box::pin(locks_gate.run(seq, async {
                    let read = locks::collect(&s.client, &s.locks).await;
                    catalog_lock::name_holder(&s.client, read).await
                }))
                .await,
            ),
            _ => None,
        }
    };
    let progress_gates = &mut gates.progress;
    let progress = async move {
        match focus {
            // Boxed: its four pipelined queries would make every refresh future large.
            Pane::Progress => Some(
                Box::pin(progress::collect(
                    &s.client,
                    &s.progress,
                    seq,
                    progress_gates,
                ))
                .await,
            ),
            _ => None,
        }
    };
    // The header's replication summary is read every refresh, the pane's sections only when
    // it is on screen. Boxed like Progress: seven pipelined queries.
    let replication = Box::pin(replication::collect(
        &s.client,
        &s.replication,
        seq,
        &mut gates.replication,
        focus == Pane::Replication,
    ));
    let both = async { tokio::join!(header, activity, locks, progress, replication) };
    let Ok((server, backends, locks, progress, (replication_summary, replication))) =
        tokio::time::timeout(session::DEADLINE, both).await
    else {
        let secs = session::DEADLINE.as_secs();
        return Err(format!("server did not answer within {secs}s"));
    };
    if s.client.is_closed() {
        let cause = server.err().or(backends.err()).map_or_else(
            || "connection closed".to_owned(),
            |e| format!("connection lost: {}", e.message),
        );
        return Err(cause);
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
        locks,
        progress: progress.map(|p| crate::snapshot::progress::Progress { now, ..p }),
        replication_summary: Some(replication_summary),
        replication,
        // Attached by the sampler, which lives across refreshes.
        waits: None,
        // Completed by the pacer, which lives across refreshes too.
        pacing: Pacing {
            read_us,
            ..Pacing::default()
        },
    })
}
