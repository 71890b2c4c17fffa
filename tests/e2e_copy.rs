//! `y` in a real terminal copies the whole query, not the 300 characters the list holds: the
//! full text is read for that pid and put on the clipboard with OSC 52 (tmux's paste buffer
//! here).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;

#[test]
fn copy_puts_the_full_query_on_the_clipboard() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    // About 850 characters: past the list's 300, within the default track_activity_query_size
    // (1 kB).
    let filler = (0..80)
        .map(|i| format!("{i:09}"))
        .collect::<Vec<_>>()
        .join(" ");
    let sql = format!("SELECT pg_sleep(300) /* start {filler} end-marker */");
    let client = rt.block_on(async {
        cluster
            .connect("postgres", "postgres", "long-query")
            .await
            .unwrap()
    });
    let running = sql.clone();
    let runner = rt.spawn(async move {
        let _ = client.batch_execute(&running).await;
    });

    let tmux = Tmux::start("copy", 200, 40);
    tmux.run(&["set", "-s", "set-clipboard", "on"]);
    let cmd = common::tmux::pgscope_on(&cluster);
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the long query", |s| {
        s.contains("SELECT pg_sleep(300) /* start")
    });
    tmux.keys(&["/", "app:long-query", "Enter"]);
    tmux.wait_for("its row alone", |s| s.contains("1 of"));
    tmux.keys(&["y"]);
    tmux.wait_for("the copy", |s| s.contains("query copied: pid"));
    let copied = tmux.run(&["show-buffer"]);
    assert_eq!(copied, sql, "the clipboard holds something else");
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    runner.abort();
}
