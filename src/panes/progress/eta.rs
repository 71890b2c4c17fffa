//! Rates and ETAs of long operations from two consecutive Progress snapshots: a pure function,
//! measured on the server's clock so a slow refresh does not distort them.

use crate::snapshot::Micros;
use crate::panes::progress::data::{Operation, Progress};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Eta {
    /// Units of the operation's phase per second.
    pub rate: f64,
    /// Time left at that rate; `None` while nothing moved between the two snapshots.
    pub remaining: Option<Micros>,
}

/// The same operation in both snapshots: same backend, kind, relation and phase (a new phase
/// counts different work, so its rate starts over).
fn same(a: &Operation, b: &Operation) -> bool {
    a.pid == b.pid && a.kind == b.kind && a.relid == b.relid && a.phase == b.phase
}

/// The ETA of `cur` given the same operation `prev_now - cur_now` earlier. `None` when the two
/// cannot be compared: no time passed, the counter went back, or there is no total.
pub fn eta(prev: &Operation, prev_now: Micros, cur: &Operation, cur_now: Micros) -> Option<Eta> {
    let dt = cur_now.checked_sub(prev_now).filter(|d| *d > 0)?;
    let moved = cur.done?.checked_sub(prev.done?).filter(|d| *d >= 0)?;
    let left = cur.total?.checked_sub(cur.done?)?.max(0);
    let rate = moved as f64 * 1e6 / dt as f64;
    let remaining = (moved > 0).then(|| (left as f64 / rate * 1e6).min(i64::MAX as f64) as Micros);
    Some(Eta { rate, remaining })
}

/// One entry per operation of `cur`, in its order.
pub fn etas(prev: Option<&Progress>, cur: &Progress) -> Vec<Option<Eta>> {
    let Ok(cur_ops) = &cur.ops else {
        return Vec::new();
    };
    let prev_ops = prev.and_then(|p| p.ops.as_ref().ok().map(|ops| (p.now, ops)));
    cur_ops
        .iter()
        .map(|op| {
            let (prev_now, ops) = prev_ops?;
            let before = ops.iter().find(|p| same(p, op))?;
            eta(before, prev_now, op, cur.now)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panes::progress::data::OpKind;

    fn op(phase: &str, done: i64, total: i64) -> Operation {
        Operation {
            kind: Some(OpKind::Vacuum),
            pid: 7,
            relid: Some(16_384),
            phase: phase.into(),
            done: Some(done),
            total: Some(total),
            ..Operation::default()
        }
    }

    #[test]
    fn rate_and_remaining() {
        let e = eta(
            &op("scanning heap", 100, 1_100),
            0,
            &op("scanning heap", 300, 1_100),
            2_000_000,
        )
        .unwrap();
        assert!((e.rate - 100.0).abs() < 1e-9);
        assert_eq!(e.remaining, Some(8_000_000));
    }

    #[test]
    fn stalled_unknown_or_reversed() {
        let a = op("scanning heap", 100, 1_000);
        let e = eta(&a, 0, &a, 1_000_000).unwrap();
        assert_eq!((e.rate, e.remaining), (0.0, None));
        assert!(eta(&op("x", 200, 1_000), 0, &a, 1_000_000).is_none());
        assert!(eta(&a, 5, &a, 5).is_none());
        let mut no_total = a.clone();
        no_total.total = None;
        assert!(eta(&a, 0, &no_total, 1_000_000).is_none());
    }

    #[test]
    fn a_new_phase_or_backend_starts_over() {
        let prev = Progress {
            now: 0,
            ops: Ok(vec![op("scanning heap", 100, 1_000)]),
            unavailable: Vec::new(),
            overdue: Ok(crate::panes::progress::data::Overdue::default()),
            freeze: Ok(crate::panes::progress::data::Freeze::default()),
            horizon: Ok(Vec::new()),
        };
        let mut other = op("scanning heap", 200, 1_000);
        other.pid = 8;
        let cur = Progress {
            now: 1_000_000,
            ops: Ok(vec![
                op("vacuuming heap", 50, 1_000),
                op("scanning heap", 200, 1_000),
                other,
            ]),
            ..prev.clone()
        };
        let e = etas(Some(&prev), &cur);
        assert_eq!(e.len(), 3);
        assert!(e[0].is_none() && e[2].is_none());
        assert_eq!(e[1].unwrap().remaining, Some(8_000_000));
        assert_eq!(etas(None, &cur), vec![None, None, None]);
    }
}
