//! Rates from two consecutive snapshots: a pure function, measured on the server's clock so a
//! slow refresh does not distort them.

use crate::snapshot::ServerInfo;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rates {
    /// Transactions (commits + rollbacks) per second.
    pub tps: f64,
    /// Share of block reads served from shared buffers over the interval; `None` when no block
    /// was read at all.
    pub hit_ratio: Option<f64>,
}

/// `None` when the two snapshots cannot be compared: same or reversed server clock, a restart
/// in between (counters went down), or a stats reset.
pub fn compute(prev: &ServerInfo, cur: &ServerInfo) -> Option<Rates> {
    let secs = (cur.now - prev.now) as f64 / 1e6;
    if secs <= 0.0 || cur.start_time != prev.start_time {
        return None;
    }
    let xacts = cur.xacts.checked_sub(prev.xacts).filter(|d| *d >= 0)?;
    // pgscope's own statements are transactions too: an idle server would show its refreshes.
    // The server counts them up to a second late, so a short interval may dip to zero.
    let own = cur.own_xacts.saturating_sub(prev.own_xacts).max(0);
    let xacts = xacts.saturating_sub(own).max(0);
    let hit = cur
        .blks_hit
        .checked_sub(prev.blks_hit)
        .filter(|d| *d >= 0)?;
    let read = cur
        .blks_read
        .checked_sub(prev.blks_read)
        .filter(|d| *d >= 0)?;
    let total = hit.saturating_add(read);
    Some(Rates {
        tps: xacts as f64 / secs,
        hit_ratio: (total > 0).then(|| hit as f64 / total as f64),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(now: i64, xacts: i64, hit: i64, read: i64) -> ServerInfo {
        ServerInfo {
            now,
            xacts,
            blks_hit: hit,
            blks_read: read,
            ..ServerInfo::default()
        }
    }

    #[test]
    fn tps_and_hit_ratio() {
        let r = compute(&info(0, 100, 0, 0), &info(2_000_000, 300, 90, 10)).unwrap();
        assert!((r.tps - 100.0).abs() < 1e-9);
        assert_eq!(r.hit_ratio, Some(0.9));
    }

    #[test]
    fn pgscope_own_transactions_are_left_out() {
        let mut prev = info(0, 100, 0, 0);
        let mut cur = info(2_000_000, 300, 0, 0);
        prev.own_xacts = 10;
        cur.own_xacts = 30;
        let r = compute(&prev, &cur).unwrap();
        assert!((r.tps - 90.0).abs() < 1e-9, "{r:?}");
        cur.own_xacts = 1_000;
        assert!(compute(&prev, &cur).unwrap().tps.abs() < 1e-9);
    }

    #[test]
    fn reset_or_same_clock_gives_none() {
        assert!(compute(&info(0, 100, 0, 0), &info(0, 200, 0, 0)).is_none());
        assert!(compute(&info(0, 100, 0, 0), &info(1_000_000, 50, 0, 0)).is_none());
        let r = compute(&info(0, 1, 5, 5), &info(1_000_000, 2, 5, 5)).unwrap();
        assert_eq!(r.hit_ratio, None);
    }
}
