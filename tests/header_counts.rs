//! The header's session counts against the Activity list on a real server with a streaming
//! standby (its WAL sender is `active` but a background process), one session running a query
//! and one idle: the binary runs in tmux, and each count in the header equals the rows of that
//! state the list shows, with background processes hidden and shown.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;
use pgscope::lab::{self, ClusterOptions};

/// The number after `label` in the header's line of session counts (`active 1 · idle 0 · ...`:
/// the line that says `lock waits`, one or two lines depending on the width).
fn header_count(screen: &str, label: &str) -> usize {
    let line = screen.lines().find(|l| l.contains("lock waits ")).unwrap();
    let rest = &line[line.find(label).unwrap() + label.len()..];
    rest.split_whitespace().next().unwrap().parse().unwrap()
}

/// The list's rows per STATE column value (the column's offset from the table's header line).
fn list_count(screen: &str, state: &str) -> usize {
    let mut lines = screen.lines().skip_while(|l| !l.contains(" PID "));
    let header = lines.next().unwrap();
    let at = header.find("STATE ").unwrap();
    lines
        .filter(|l| {
            let cell: String = l.chars().skip(at).take(state.len() + 1).collect();
            cell == format!("{state} ")
        })
        .count()
}

fn agree(screen: &str, idle_shown: bool) {
    assert_eq!(
        header_count(screen, "active "),
        list_count(screen, "active"),
        "{screen}"
    );
    if idle_shown {
        assert_eq!(
            header_count(screen, "· idle "),
            list_count(screen, "idle"),
            "{screen}"
        );
    }
}

#[test]
fn header_counts_are_the_lists_counts() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let (standby, _sessions) = rt.block_on(async {
        let standby = lab::start_standby(&cluster, "standby1", &ClusterOptions::default())
            .await
            .unwrap();
        let busy = cluster
            .connect("postgres", "postgres", "busy")
            .await
            .unwrap();
        let idle = cluster
            .connect("postgres", "postgres", "idler")
            .await
            .unwrap();
        idle.batch_execute("SELECT 1").await.unwrap();
        let runner = tokio::spawn(async move {
            let _ = busy.batch_execute("SELECT pg_sleep(300)").await;
        });
        (standby, (idle, runner))
    });
    let tmux = Tmux::start("header-counts", 200, 50);
    let bin = env!("CARGO_BIN_EXE_pgscope");
    let cmd = format!(
        "{bin} -h {} -p {} -U postgres postgres",
        cluster.socket_dir().display(),
        cluster.port()
    );
    tmux.keys(&[&cmd, "Enter"]);

    // Background hidden (the default): the WAL sender streams, yet only the query counts.
    let screen = tmux.wait_for("the sleeping session and the standby", |s| {
        s.contains("pg_sleep(300)") && s.contains("standbys 1")
    });
    assert_eq!(header_count(&screen, "active "), 1, "{screen}");
    agree(&screen, false);

    tmux.keys(&["i"]);
    let screen = tmux.wait_for("idle sessions", |s| s.contains("idler"));
    agree(&screen, true);

    // Background shown: the WAL sender is listed, and counted.
    tmux.keys(&["b"]);
    let screen = tmux.wait_for("the WAL sender", |s| s.contains("walsender"));
    assert_eq!(header_count(&screen, "active "), 2, "{screen}");
    agree(&screen, true);

    tmux.keys(&["q"]);
    tmux.wait_for("the prompt", |s| {
        s.lines().any(|l| l.starts_with("$ ")) && !s.contains("PID")
    });
    drop(standby);
}
