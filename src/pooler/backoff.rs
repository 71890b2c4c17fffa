//! Delays between failed reconnect attempts: growing from 1 s, capped, so that a restarting
//! pooler is picked up quickly and a dead one is not hammered. (The first attempt after a lost
//! connection is made at once by the task: a restarted pooler is usually back.)

use std::time::Duration;

const START: Duration = Duration::from_secs(1);
const CAP: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    pub fn new() -> Self {
        Backoff { failures: 0 }
    }

    /// The delay before the next attempt, after one more failure.
    pub fn next_delay(&mut self) -> Duration {
        let delay = START.saturating_mul(1 << self.failures.min(16)).min(CAP);
        self.failures = self.failures.saturating_add(1);
        delay
    }

    /// Connected again: the next loss starts over.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

impl Default for Backoff {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps_then_resets() {
        let mut b = Backoff::new();
        let secs: Vec<u64> = (0..7).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(secs, vec![1, 2, 4, 8, 10, 10, 10]);
        for _ in 0..100 {
            b.next_delay();
        }
        assert_eq!(b.next_delay(), CAP);
        b.reset();
        assert_eq!(b.next_delay(), START);
    }
}
