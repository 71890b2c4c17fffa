//! TPS on an idle server: pgscope's own statements (each its own transaction) are left out, so
//! an idle server reads near zero instead of pgscope's own refresh rate.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::collector;
use pgscope::collect::{sampler, session};
use pgscope::rates;

#[test]
fn an_idle_server_shows_no_transactions_of_pgscope() {
    let cluster = common::cluster(common::majors()[0]);
    common::runtime().block_on(async {
        let t = common::target(&cluster, "postgres");
        let first = session::open(&t).await.unwrap();
        let mut w = collector::spawn(
            t,
            first,
            Duration::from_millis(250),
            sampler::Config::default(),
        );
        let mut seen = Vec::new();
        let until = Instant::now() + Duration::from_secs(8);
        while Instant::now() < until {
            w.snaps.changed().await.unwrap();
            if let Some(s) = w.snaps.borrow_and_update().clone()
                && let Ok(info) = &s.server
            {
                seen.push(info.clone());
            }
        }
        let (a, b) = (&seen[1], seen.last().unwrap());
        let tps = rates::compute(a, b).unwrap().tps;
        // What the header showed before: pgscope's own statements counted as the server's.
        let (mut a0, mut b0) = (a.clone(), b.clone());
        a0.own_xacts = 0;
        b0.own_xacts = 0;
        let with_own = rates::compute(&a0, &b0).unwrap().tps;
        assert!(with_own >= 5.0, "pgscope's own rate {with_own:.1}");
        // The server counts a backend's transactions up to a second late (PG 15+ flushes its
        // statistics at most once a second), so a few of pgscope's last ones may still show.
        assert!(
            tps < with_own * 0.35,
            "idle server shows tps {tps:.1} (with pgscope's own: {with_own:.1})"
        );
    });
}
