//! The collector driven from outside its task, for `pgscope snapshot`: the same refresh, gates,
//! statement count and wait sampler as the live task, one refresh per call, on one session.

use std::time::{Duration, Instant};

use super::{Gates, Session, pane, refresh, sampler, statements};
use crate::failure::Failure;
use crate::panes::Pane;
use crate::snapshot::{Pacing, Snapshot};

/// Refreshes on demand; what lives across refreshes (gates, sampler, TPS count) lives here.
pub struct Reader {
    gates: Gates,
    sampler: sampler::Sampler,
    seq: u64,
    own_xacts: i64,
    interval: Duration,
}

impl Reader {
    pub fn new(sampling: sampler::Config, interval: Duration) -> Reader {
        Reader {
            gates: Gates::default(),
            sampler: sampler::Sampler::new(sampling),
            seq: 0,
            own_xacts: 0,
            interval,
        }
    }

    /// One refresh with `focus` on screen. `Err` means the connection is unusable.
    pub async fn read(&mut self, s: &Session, focus: Pane) -> Result<Snapshot, Failure> {
        self.seq += 1;
        self.own_xacts += statements(focus);
        let on = super::On {
            target: None,
            asks: &super::pane::Asks::default(),
            focus,
        };
        let mut snapshot = Box::pin(refresh(s, self.seq, on, &mut self.gates)).await?;
        if let Ok(info) = &mut snapshot.server {
            info.own_xacts = self.own_xacts;
        }
        snapshot.pacing = Pacing {
            asked: self.interval,
            every: self.interval,
            read_us: snapshot.pacing.read_us,
        };
        self.sampler.observe(&snapshot, self.interval);
        pane::after(&self.sampler, &mut snapshot, focus);
        Ok(snapshot)
    }

    /// Waits until `until`, taking wait samples meanwhile as the live task does.
    pub async fn wait(&mut self, s: &Session, until: Instant) -> Result<(), Failure> {
        loop {
            tokio::select! {
                () = tokio::time::sleep_until(until.into()) => return Ok(()),
                () = self.sampler.tick() => {
                    Box::pin(self.sampler.sample(s)).await?;
                    self.own_xacts += 1;
                }
            }
        }
    }
}
