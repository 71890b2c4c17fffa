//! The pooler's collect task: owns the admin console connection, reads every interval, and
//! publishes each read as one owned [`Pooler`]. Runs beside the database collector, never in
//! its refresh: a slow or restarting pooler must not delay the database panes. When the pooler
//! goes away (restart, network) it reconnects with backoff and says why meanwhile.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::MissedTickBehavior;

use super::admin::{self, Admin};
use super::backoff::Backoff;
use super::model::Pooler;
use crate::conn::Target;
use crate::snapshot::Link;

/// Where the task publishes, and what it listens to.
pub struct Channels {
    pub reads: watch::Sender<Option<Arc<Pooler>>>,
    pub link: watch::Sender<Link>,
    pub interval: watch::Receiver<Duration>,
}

/// Runs until the receivers are dropped. `first` is the console opened at startup (where a
/// password prompt could still be shown); later reconnects use the password settled then.
pub async fn run(target: Target, first: Option<Admin>, mut ch: Channels) {
    let mut backoff = Backoff::new();
    let mut admin = first;
    loop {
        let console = match admin.take() {
            Some(a) => a,
            None => match admin::open(&target).await {
                Ok(a) => a,
                Err(e) => {
                    let wait = backoff.next_delay();
                    ch.link.send_replace(Link::Down {
                        cause: e.failure(),
                        retry_in: wait,
                    });
                    tokio::time::sleep(wait).await;
                    if ch.reads.is_closed() {
                        return;
                    }
                    continue;
                }
            },
        };
        ch.link.send_replace(Link::Connected);
        let mut ticker = ticker(*ch.interval.borrow_and_update());
        let cause = loop {
            tokio::select! {
                _ = ticker.tick() => {}
                changed = ch.interval.changed() => {
                    if changed.is_err() {
                        return;
                    }
                    ticker = ticker_every(*ch.interval.borrow_and_update());
                    continue;
                }
            }
            match console.read().await {
                Ok(read) => {
                    backoff.reset();
                    if ch.reads.send(Some(Arc::new(read))).is_err() {
                        return;
                    }
                }
                Err(e) => break e.failure(),
            }
        };
        // The first attempt comes at once: a restarted pooler is usually back already.
        ch.link.send_replace(Link::Down {
            cause,
            retry_in: Duration::ZERO,
        });
    }
}

/// Ticks at once, then every `every`; a late tick is skipped, never made up for.
fn ticker(every: Duration) -> tokio::time::Interval {
    let mut t = tokio::time::interval(every.max(Duration::from_millis(100)));
    t.set_missed_tick_behavior(MissedTickBehavior::Skip);
    t
}

/// After an interval change: the first tick one new interval from now.
fn ticker_every(every: Duration) -> tokio::time::Interval {
    let every = every.max(Duration::from_millis(100));
    let mut t = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    t.set_missed_tick_behavior(MissedTickBehavior::Skip);
    t
}
