//! `pgscope snapshot --format text` prints every row of a pane, not one screen nor a fixed
//! number of lines: a body longer than any terminal comes out whole.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::time::Duration;

use fixtures::{NOW, many, snapshot};
use pgscope::snapshot_cmd::text;
use pgscope::state::State;
use pgscope::update::{Msg, update};

#[test]
fn every_session_of_thousands_is_printed() {
    let backends = many(4_000);
    let shown = backends
        .iter()
        .filter(|b| b.state.as_deref() != Some("idle"))
        .count();
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(200, text::START_HEIGHT));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, backends),
            now: NOW,
        },
    );
    let lines = text::body(&mut st, 200).unwrap();
    let rows = lines.iter().filter(|l| l.contains("FROM orders")).count();
    assert_eq!(rows, shown, "one line per session shown");
    assert!(rows > 1_600, "{rows}");
}
