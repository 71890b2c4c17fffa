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

/// With no job-control shell to continue it (pgscope alone in its session, as with
/// `ssh -t host pgscope`), Ctrl-Z must not stop it for good: the kernel drops the stop and the
/// screen comes straight back. `script` gives pgscope a terminal and a session of its own and,
/// unlike tmux, never continues a stopped child.
#[test]
fn ctrl_z_without_job_control_does_not_hang() {
    let cluster = common::cluster(common::majors()[0]);
    let tmux = Tmux::start("orphan", 120, 30);
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!(
        "script -qfc \"sh -c 'echo \\$\\$ > {pid}; exec {bin} -h {host} -p {port} -U postgres \
         postgres'\" /dev/null",
        pid = pidfile.display(),
        bin = env!("CARGO_BIN_EXE_pgscope"),
        host = cluster.socket_dir().display(),
        port = cluster.port(),
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the table", table);
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    tmux.keys(&["C-z"]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim())).unwrap();
    let state = stat
        .rsplit(')')
        .next()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap();
    if state == "T" {
        kill("CONT", &pidfile);
    }
    assert_ne!(state, "T", "stopped with nobody to continue it: {stat}");
    tmux.wait_for("the table again", table);
    // Still answering keys.
    tmux.keys(&["2"]);
    tmux.wait_for("the Locks pane", |s| {
        s.contains("WANTS") && s.contains("HOLDS")
    });
}
