//! The start-up filter in the real binary: `pgscope --filter EXPR --min-duration D` opens on
//! an Activity list already narrowed, and Waits and Connections count the same sessions, with
//! the filter named on their tab line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;
use pgscope::lab;

#[test]
fn the_start_up_filter_narrows_activity_waits_and_connections() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let (_long, idle) = rt.block_on(async {
        lab::setup(&cluster).await.unwrap();
        let long = lab::long_query(&cluster, 120.0).await.unwrap();
        let idle = lab::idle_in_transaction(&cluster).await.unwrap();
        (long, idle)
    });
    let idle_pid = idle.pid().to_string();

    let tmux = Tmux::start("filter", 200, 50);
    let cmd = format!(
        "{} -h {} -p {} -U postgres postgres --filter app:metabase --min-duration 200ms; echo EXIT=$?",
        env!("CARGO_BIN_EXE_pgscope"),
        cluster.socket_dir().display(),
        cluster.port()
    );
    tmux.keys(&[&cmd, "Enter"]);

    let screen = tmux.wait_for("the filtered activity list", |s| {
        s.contains("filter: app:metabase") && s.contains("pg_sleep(120)")
    });
    assert!(screen.contains("1 of"), "{screen}");
    assert!(
        !screen.contains("batch-etl") && !screen.contains(&idle_pid),
        "{screen}"
    );

    tmux.keys(&["4"]);
    let screen = tmux.wait_for("connections, filtered", |s| {
        s.contains("by application · 1 group · filter: app:metabase")
    });
    assert!(
        screen.contains("metabase") && !screen.contains("batch-etl"),
        "{screen}"
    );

    tmux.keys(&["3"]);
    let screen = tmux.wait_for("waits, filtered", |s| {
        s.contains("NOW 1 sessions in a statement or transaction · filter: app:metabase")
    });
    assert!(screen.contains("PgSleep"), "{screen}");

    tmux.keys(&["q"]);
    tmux.wait_for("the exit status", |s| s.contains("EXIT=0"));
}
