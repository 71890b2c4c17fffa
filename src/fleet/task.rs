//! One collector task per fleet member: its own connection, deadline and reconnect backoff, so
//! a refusing, silent or frozen server delays nobody else. Each read updates the member it owns
//! and publishes it whole; a shared notify tells the screen that something changed.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

use super::member::{Member, Pooling};
use super::open::{self, OpenFail, Opened};
use super::probe::{self, Probe};
use super::targets::Server;
use crate::collect::rows::to_micros;
use crate::failure::Failure;
use crate::pooler::backoff::Backoff;
use crate::pooler::{Admin, Pooler};
use crate::snapshot::Micros;

/// Where a member's task publishes, and what it listens to.
pub struct Wire {
    pub out: watch::Sender<Arc<Member>>,
    pub changed: Arc<Notify>,
    pub interval: watch::Receiver<Duration>,
}

/// The first attempt, started before the screen so a password could still be asked.
pub type First = JoinHandle<Result<Opened, OpenFail>>;

/// Every server's collector, spawned; `firsts[i]` is server i's first attempt. The receivers
/// hold each member's latest; `changed` is notified on every publish.
pub fn spawn_all(
    servers: &[Server],
    firsts: Vec<Option<First>>,
    interval: &watch::Receiver<Duration>,
    changed: &Arc<Notify>,
) -> (Vec<watch::Receiver<Arc<Member>>>, Vec<JoinHandle<()>>) {
    let every = *interval.borrow();
    let mut members = Vec::with_capacity(servers.len());
    let mut tasks = Vec::with_capacity(servers.len());
    for (server, first) in servers.iter().zip(firsts) {
        let member = Member::new(&server.name, server.group.as_deref(), every);
        let (tx, rx) = watch::channel(Arc::new(member));
        let wire = Wire {
            out: tx,
            changed: Arc::clone(changed),
            interval: interval.clone(),
        };
        tasks.push(tokio::spawn(run(server.clone(), first, wire)));
        members.push(rx);
    }
    (members, tasks)
}

fn now() -> Micros {
    to_micros(SystemTime::now())
}

/// Runs until the screen drops the member's receiver.
pub async fn run(server: Server, first: Option<First>, mut wire: Wire) {
    let every = *wire.interval.borrow_and_update();
    let mut member = Member::new(&server.name, server.group.as_deref(), every);
    let mut backoff = Backoff::new();
    let mut first = first;
    // Transactions this task ran, so that TPS leaves them out.
    let mut own_xacts = 0i64;
    loop {
        let attempt = match first.take() {
            Some(handle) => handle.await.unwrap_or_else(|e| {
                Err(OpenFail::Pooler(crate::pooler::PoolerError::Lost(
                    e.to_string(),
                )))
            }),
            None => open::open(&server.target).await,
        };
        let opened = match attempt {
            Ok(o) => o,
            Err(e) => {
                let wait = backoff.next_delay();
                tracing::debug!(server = %server.name, error = %e.failure(server.target.user()).message, "fleet: cannot connect");
                member.down(e.failure(server.target.user()), wait, now());
                if !publish(&wire, &member) {
                    return;
                }
                tokio::time::sleep(wait).await;
                continue;
            }
        };
        let cause = match opened {
            Opened::Postgres(p) => {
                member.system_id = Some(p.system_id.clone());
                watch_postgres(&p, &mut member, &mut wire, &mut backoff, &mut own_xacts).await
            }
            Opened::Pooler(a) => watch_pooler(&a, &mut member, &mut wire, &mut backoff).await,
        };
        let Some(cause) = cause else { return };
        // The first retry comes at once: a restarted server is usually back.
        tracing::info!(server = %server.name, %cause, "fleet: connection lost");
        member.down(cause, Duration::ZERO, now());
        if !publish(&wire, &member) {
            return;
        }
    }
}

/// Publishes the member; false when the screen is gone.
fn publish(wire: &Wire, member: &Member) -> bool {
    if wire.out.send(Arc::new(member.clone())).is_err() {
        return false;
    }
    wire.changed.notify_one();
    true
}

/// Reads every interval until the connection fails (`Some(cause)`) or the screen is gone.
async fn watch_postgres(
    p: &Probe,
    member: &mut Member,
    wire: &mut Wire,
    backoff: &mut Backoff,
    own_xacts: &mut i64,
) -> Option<Failure> {
    let mut ticker = ticker(member.every);
    loop {
        if let Some(every) = next_tick(&mut ticker, wire).await? {
            member.every = every;
            continue;
        }
        *own_xacts += probe::STATEMENTS;
        match p.read().await {
            Ok(mut reading) => {
                reading.info.own_xacts = *own_xacts;
                backoff.reset();
                member.observe(reading, now());
                if !publish(wire, member) {
                    return None;
                }
            }
            Err(cause) => return Some(cause),
        }
    }
}

async fn watch_pooler(
    a: &Admin,
    member: &mut Member,
    wire: &mut Wire,
    backoff: &mut Backoff,
) -> Option<Failure> {
    let mut ticker = ticker(member.every);
    loop {
        if let Some(every) = next_tick(&mut ticker, wire).await? {
            member.every = every;
            continue;
        }
        match a.read().await {
            Ok(read) => {
                backoff.reset();
                member.observe_pooler(pooling(&read), now());
                if !publish(wire, member) {
                    return None;
                }
            }
            Err(e) => return Some(e.failure()),
        }
    }
}

/// The next tick (`Some(None)`), a new interval (`Some(Some(every))`, the ticker restarted), or
/// `None` when the screen is gone.
async fn next_tick(
    ticker: &mut tokio::time::Interval,
    wire: &mut Wire,
) -> Option<Option<Duration>> {
    tokio::select! {
        _ = ticker.tick() => Some(None),
        changed = wire.interval.changed() => {
            changed.ok()?;
            let every = *wire.interval.borrow_and_update();
            *ticker = ticker_from(every);
            Some(Some(every))
        }
    }
}

/// Ticks at once, then every `every`; a late tick is skipped, never made up for.
fn ticker(every: Duration) -> tokio::time::Interval {
    let mut t = tokio::time::interval(every.max(Duration::from_millis(100)));
    t.set_missed_tick_behavior(MissedTickBehavior::Skip);
    t
}

fn ticker_from(every: Duration) -> tokio::time::Interval {
    let every = every.max(Duration::from_millis(100));
    let mut t = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    t.set_missed_tick_behavior(MissedTickBehavior::Skip);
    t
}

/// The pooler line: its pools summed.
pub fn pooling(read: &Pooler) -> Pooling {
    let (pools, error) = match &read.pools {
        Ok(p) => (Some(p.as_slice()), None),
        Err(e) => (None, Some(e.message.clone())),
    };
    let sum = |f: &dyn Fn(&crate::pooler::model::Pool) -> Option<i64>| {
        pools.map(|p| p.iter().filter_map(f).sum::<i64>())
    };
    Pooling {
        version: read.version.clone(),
        pools: pools.map(<[_]>::len),
        waiting: sum(&|p| p.cl_waiting),
        maxwait_us: pools.and_then(|p| p.iter().filter_map(|p| p.maxwait_us).max()),
        servers: sum(&|p| p.servers()),
        error,
    }
}
