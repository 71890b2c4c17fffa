//! The real binary in tmux with a config file: remapped keys (a two-key sequence among them),
//! chosen columns (Activity's, and another pane's table), the Connections grouping and idle toggle work, and help shows the live keys; Ctrl-Z gives the shell
//! back and `fg` redraws the whole screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::tmux::Tmux;

const CONFIG: &str = r#"
theme = "high-contrast"

[activity]
columns = ["pid", "user", "state", "query"]
show_idle = true

[connections]
group_by = "database"
groups = ["group", "idle", "total"]

[keys.normal]
quit = ["Q"]
help = ["g h"]
pane_2 = ["L"]
"#;

#[test]
fn remapped_keys_columns_suspend_and_resume() {
    let cluster = common::cluster(common::majors()[0]);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("pgscope.toml");
    std::fs::write(&config, CONFIG).unwrap();

    let tmux = Tmux::start("config", 120, 30);
    let bin = env!("CARGO_BIN_EXE_pgscope");
    let cmd = format!(
        "PGSCOPE_CONFIG={} {bin} -h {} -p {} -U postgres postgres",
        config.display(),
        cluster.socket_dir().display(),
        cluster.port()
    );
    tmux.keys(&[&cmd, "Enter"]);

    // Only the configured columns; idle sessions shown from the start.
    let screen = tmux.wait_for("the activity table", |s| {
        s.contains("PID") && s.contains("QUERY")
    });
    assert!(
        screen.contains("USER") && !screen.contains("QUERY AGE") && !screen.contains("XACT"),
        "{screen}"
    );
    assert!(!screen.contains("hiding idle"), "{screen}");

    // `q` no longer quits: the keys after it still reach pgscope. The sequence `g h` opens
    // help, which lists the live keys.
    tmux.keys(&["q"]);
    tmux.keys(&["g", "h"]);
    // Polled until both show: a capture can catch the overlay half drawn.
    tmux.wait_for("help with the remapped keys", |s| {
        s.contains("Activity pane") && s.contains("g h  help") && s.contains("Q  quit")
    });
    tmux.keys(&["x"]);
    tmux.wait_for("help closed", |s| !s.contains("Activity pane"));

    // A remapped pane key.
    tmux.keys(&["L"]);
    tmux.wait_for("the Locks pane", |s| {
        s.contains("no session is waiting on a lock")
    });

    // Another pane's table with the grouping (not the default, application), the columns and
    // the order the file chose.
    tmux.keys(&["4"]);
    let screen = tmux.wait_for("the Connections groups", |s| s.contains("DATABASE"));
    let header = screen.lines().find(|l| l.contains("DATABASE")).unwrap();
    let (idle, total) = (header.find("IDLE").unwrap(), header.find("TOTAL").unwrap());
    assert!(idle < total && !header.contains("ACTIVE"), "{header}");

    // Ctrl-Z: the shell is back; fg: the whole screen is drawn again, the shell's text gone
    // (on the alternate screen a redraw that sent only changed cells would leave it blank).
    tmux.keys(&["C-z"]);
    tmux.wait_for("the shell", |s| {
        s.contains("Stopped") || s.contains("stopped")
    });
    tmux.keys(&["echo SHELL-WAS-HERE", "Enter"]);
    tmux.wait_for("the shell answers", |s| {
        s.lines().any(|l| l == "SHELL-WAS-HERE")
    });
    tmux.keys(&["fg", "Enter"]);
    let screen = tmux.wait_for("the redraw", |s| {
        s.contains("pgscope PG") && !s.contains("SHELL-WAS-HERE")
    });
    assert!(screen.contains("1 Activity"), "{screen}");

    tmux.keys(&["Q"]);
    tmux.wait_for("the prompt", |s| s.contains("$ fg"));
    tmux.keys(&["echo EXIT=$?", "Enter"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
}
