//! A stop from outside: `kill -TSTP` (what job control sends) gives the terminal back before
//! pgscope stops — normal screen, cursor shown, no mouse reporting, cooked mode — and `fg`
//! takes it again and redraws the Activity table. An uncatchable `kill -STOP` cannot restore
//! anything, but the SIGCONT of `fg` still brings back a fully redrawn screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::tmux::Tmux;

/// `alternate screen, cursor shown, mouse reporting` of the pane, as 0/1 each.
fn modes(tmux: &Tmux) -> String {
    tmux.run(&[
        "display-message",
        "-p",
        "-t",
        "t",
        "#{alternate_on} #{cursor_flag} #{mouse_any_flag}",
    ])
    .trim()
    .to_owned()
}

fn kill(sig: &str, pidfile: &Path) {
    let pid = std::fs::read_to_string(pidfile).unwrap();
    let status = std::process::Command::new("kill")
        .args([format!("-{sig}"), pid.trim().to_owned()])
        .status()
        .unwrap();
    assert!(status.success());
}

fn table(s: &str) -> bool {
    s.contains("PID") && s.contains("PRIMARY")
}

#[test]
fn sigtstp_from_outside_suspends_and_fg_redraws() {
    let cluster = common::cluster(common::majors()[0]);
    let tmux = Tmux::start("suspend", 120, 30);
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!(
        "sh -c 'echo $$ > {pid}; exec {bin} -h {host} -p {port} -U postgres postgres'",
        pid = pidfile.display(),
        bin = env!("CARGO_BIN_EXE_pgscope"),
        host = cluster.socket_dir().display(),
        port = cluster.port(),
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the table", table);
    assert_eq!(modes(&tmux), "1 0 1");

    kill("TSTP", &pidfile);
    let screen = tmux.wait_for("the job stopped", |s| s.contains("Stopped"));
    assert!(!table(&screen), "{screen}");
    assert_eq!(modes(&tmux), "0 1 0");
    tmux.keys(&[
        "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo",
        "Enter",
    ]);
    tmux.wait_for("a cooked terminal", |s| s.contains("icanon,echo,"));

    tmux.keys(&["clear; fg", "Enter"]);
    tmux.wait_for("the table again", table);
    assert_eq!(modes(&tmux), "1 0 1");

    // Stopped without a chance to restore (the shell's lines land in pgscope's screen, still
    // raw: the command ends with a line feed); the continue alone repaints every cell.
    kill("STOP", &pidfile);
    tmux.wait_for("the job stopped", |s| s.contains("Stopped"));
    tmux.keys(&["fg", "C-j"]);
    tmux.wait_for("the table repainted", |s| {
        table(s) && !s.contains("Stopped")
    });
    assert_eq!(modes(&tmux), "1 0 1");

    // Still answering keys, then a clean exit.
    tmux.keys(&["q"]);
    tmux.wait_for("the shell", |s| !table(s));
    tmux.keys(&["echo EXIT=$?", "Enter"]);
    tmux.wait_for("the exit code", |s| s.contains("EXIT=0"));
}
