//! The real binary in tmux against a real server at 80x24 and at 160 columns: the Activity
//! query keeps its room (at least 30 cells at 80 columns, 60 at 160), columns that do not fit
//! are dropped whole rather than cut, and TYPE shows only with the background processes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;

use pgscope::lab;

/// A query longer than any screen, so its column is filled to its last cell.
const LONG: &str = "SELECT pg_sleep(300) /* columns e2e: a comment long enough to fill the query \
                    column of a wide terminal from its first cell to its very last one, and then \
                    some more words so nothing is left blank */";

/// The Activity header on `screen`: the line that starts with PID and names the query.
fn header(screen: &str) -> Option<&str> {
    screen
        .lines()
        .find(|l| l.trim_start().starts_with("PID") && l.contains("QUERY"))
}

/// The cell where the QUERY column starts (not QUERY AGE), counted in characters.
fn query_start(header: &str) -> Option<usize> {
    let chars: Vec<char> = header.chars().collect();
    (0..chars.len()).find(|&i| {
        let rest: String = chars[i..].iter().collect();
        rest.starts_with("QUERY") && !rest.starts_with("QUERY AGE")
    })
}

/// How many cells the query column has at `width`, read from the drawn header.
fn query_width(screen: &str, width: usize) -> usize {
    let head = header(screen).unwrap_or_else(|| panic!("no header:\n{screen}"));
    width - query_start(head).unwrap_or_else(|| panic!("no QUERY column: {head}"))
}

#[test]
fn the_activity_query_keeps_its_room_at_80_and_160_columns() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let (chain, runner) = rt.block_on(async {
        lab::setup(&cluster).await.unwrap();
        let chain = lab::lock_chain(&cluster, 3).await.unwrap();
        let c = cluster
            .connect("postgres", "postgres", "long")
            .await
            .unwrap();
        let runner = tokio::spawn(async move {
            let _ = c.batch_execute(LONG).await;
        });
        (chain, runner)
    });
    let pids: Vec<String> = chain.pids().iter().map(ToString::to_string).collect();

    let tmux = Tmux::start("columns", 80, 24);
    let cmd = common::tmux::pgscope_on(&cluster);
    tmux.keys(&[&cmd, "Enter"]);
    // Sorted by PID, the chain's rows come first, so the page shows them at 24 lines too.
    let screen = tmux.wait_for("the activity table at 80x24", |s| {
        header(s).is_some() && s.contains("pg_sleep(300)") && s.contains(&pids[2])
    });
    let head = header(&screen).unwrap();
    assert!(
        !head.contains('…'),
        "a header cut instead of dropped: {head}"
    );
    assert!(
        !head.contains("TYPE"),
        "TYPE without background processes: {head}"
    );
    assert!(query_width(&screen, 80) >= 30, "{screen}");
    // The long query fills its column: it is cut at the end of the line, not earlier.
    let start = query_start(head).unwrap();
    let row = screen
        .lines()
        .find(|l| l.contains("pg_sleep(300)"))
        .unwrap();
    let text: String = row.chars().skip(start).collect();
    assert!(text.starts_with("SELECT pg_sleep(300)"), "{row}");
    assert!(text.trim_end().chars().count() >= 30, "{row}");

    // 160 columns: at least 60 cells for the query; the waiter names its blocker.
    tmux.run(&["resize-window", "-t", "t", "-x", "160", "-y", "40"]);
    let screen = tmux.wait_for("the activity table at 160 columns", |s| {
        // WAIT does not fit at 80 columns: its header is the wider layout's.
        header(s).is_some_and(|h| h.contains("WAIT") && h.contains("BLOCKED BY"))
    });
    let head = header(&screen).unwrap();
    assert!(!head.contains('…'), "{head}");
    assert!(query_width(&screen, 160) >= 60, "{screen}");
    let waiter = screen
        .lines()
        .find(|l| l.trim_start().starts_with(pids[2].as_str()))
        .unwrap_or_else(|| panic!("no row for {}:\n{screen}", pids[2]));
    assert!(waiter.contains(&pids[1]), "{waiter}");

    // At 250 columns TYPE would fit, but says "client backend" on every row while the
    // background processes are hidden; `b` shows them, and TYPE with them.
    tmux.run(&["resize-window", "-t", "t", "-x", "250", "-y", "40"]);
    let screen = tmux.wait_for("the activity table at 250 columns", |s| {
        // STATE AGE does not fit at 160 columns.
        header(s).is_some_and(|h| h.contains("STATE AGE"))
    });
    assert!(!header(&screen).unwrap().contains("TYPE"), "{screen}");
    tmux.keys(&["b"]);
    let screen = tmux.wait_for("TYPE with the background processes", |s| {
        header(s).is_some_and(|h| h.contains("TYPE"))
    });
    assert!(query_width(&screen, 250) >= 60, "{screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    runner.abort();
    drop(chain);
}
