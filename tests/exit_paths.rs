//! Every exit path gives the terminal back (raw mode off, alternate screen left, cursor shown)
//! with a documented exit code: q, SIGINT, SIGTERM, SIGHUP, a panic; and the demo removes its
//! cluster when its terminal disappears.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::tmux::Tmux;
use pgscope::lab::Cluster;

enum Ending {
    Key(&'static str),
    /// Keys once the table is up.
    Keys(&'static [&'static str]),
    Signal(&'static str),
}

/// Runs pgscope in a fresh terminal, ends it, and checks the exit code and the terminal state.
fn run_and_end(cluster: &Cluster, name: &str, env: &str, ending: &Ending, code: i32) -> String {
    let tmux = Tmux::start(name, 120, 30);
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!(
        "sh -c 'echo $$ > {pid}; exec env {env} {bin} -h {host} -p {port} -U postgres postgres'; echo EXIT=$?",
        pid = pidfile.display(),
        bin = env!("CARGO_BIN_EXE_pgscope"),
        host = cluster.socket_dir().display(),
        port = cluster.port(),
    );
    tmux.keys(&[&cmd, "Enter"]);
    if code != 101 || matches!(ending, Ending::Keys(_)) {
        tmux.wait_for("the table", |s| s.contains("PID") && s.contains("PRIMARY"));
    }
    match ending {
        Ending::Key(k) => tmux.keys(&[k]),
        Ending::Keys(keys) => {
            for k in *keys {
                tmux.keys(&[k]);
                std::thread::sleep(Duration::from_millis(300));
            }
        }
        Ending::Signal(sig) => {
            let pid = std::fs::read_to_string(&pidfile).unwrap();
            let status = std::process::Command::new("kill")
                .args([format!("-{sig}"), pid.trim().to_owned()])
                .status()
                .unwrap();
            assert!(status.success());
        }
    }
    let screen = tmux.wait_for("the exit code", |s| {
        s.match_indices("EXIT=")
            .any(|(i, _)| s[i + 5..].starts_with(|c: char| c.is_ascii_digit()))
    });
    assert!(screen.contains(&format!("EXIT={code}")), "{name}: {screen}");
    tmux.keys(&[
        "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo",
        "Enter",
    ]);
    tmux.wait_for("a cooked terminal", |s| s.contains("icanon,echo,"))
}

#[test]
fn every_exit_path_restores_the_terminal() {
    let cluster = common::cluster(common::majors()[0]);
    run_and_end(&cluster, "quit", "", &Ending::Key("q"), 0);
    run_and_end(&cluster, "sigint", "", &Ending::Signal("INT"), 130);
    run_and_end(&cluster, "sigterm", "", &Ending::Signal("TERM"), 143);
    run_and_end(&cluster, "sighup", "", &Ending::Signal("HUP"), 129);
    let screen = run_and_end(
        &cluster,
        "panic",
        "PGSCOPE_FAULT=panic@render RUST_BACKTRACE=0",
        &Ending::Key(""),
        101,
    );
    // The panic message is printed after the restore, so it is on the normal screen.
    assert!(screen.contains("fault injected at render"), "{screen}");
    // A panic in the collect task or the action task ends the app the same way, not as a quit.
    let screen = run_and_end(
        &cluster,
        "panic-collect",
        "PGSCOPE_FAULT=panic@collect RUST_BACKTRACE=0",
        &Ending::Key(""),
        101,
    );
    assert!(
        screen.contains("fault injected in the collect task"),
        "{screen}"
    );
    // Background processes shown, the first one's details asked for: a job for the action task.
    let screen = run_and_end(
        &cluster,
        "panic-control",
        "PGSCOPE_FAULT=panic@control RUST_BACKTRACE=0",
        &Ending::Keys(&["b", "Enter"]),
        101,
    );
    assert!(
        screen.contains("fault injected in the action task"),
        "{screen}"
    );
}

#[test]
fn demo_cleans_up_when_its_terminal_goes_away() {
    let tmux = Tmux::start("demo", 120, 30);
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("demo.log");
    let cmd = format!(
        "{} demo 2> {}",
        env!("CARGO_BIN_EXE_pgscope"),
        log.display()
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the demo's table", |s| {
        s.contains("PID") && s.contains("Lock:transactionid")
    });
    let text = std::fs::read_to_string(&log).unwrap();
    let data = text
        .split("cluster in ")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap_or_else(|| panic!("no cluster dir in {text:?}"));
    let root = Path::new(data).parent().unwrap().to_path_buf();
    assert!(root.exists());
    drop(tmux); // kills the tmux server: the demo gets SIGHUP and its pty disappears
    let deadline = Instant::now() + Duration::from_secs(20);
    while root.exists() {
        assert!(Instant::now() < deadline, "{} left behind", root.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The terminal closed under pgscope (SIGHUP, pty gone): it exits quietly, without an error
/// about showing the cursor on a terminal that no longer exists.
#[test]
fn a_closed_terminal_ends_it_without_noise() {
    let cluster = common::cluster(common::majors()[0]);
    let tmux = Tmux::start("hangup", 120, 30);
    let dir = tempfile::tempdir().unwrap();
    let err = dir.path().join("stderr");
    let pidfile = dir.path().join("pid");
    let cmd = format!(
        "sh -c 'echo $$ > {pid}; exec {bin} -h {host} -p {port} -U postgres postgres 2> {err}'",
        pid = pidfile.display(),
        bin = env!("CARGO_BIN_EXE_pgscope"),
        host = cluster.socket_dir().display(),
        port = cluster.port(),
        err = err.display(),
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the table", |s| s.contains("PID") && s.contains("PRIMARY"));
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    let proc_dir = Path::new("/proc").join(pid.trim());
    drop(tmux); // kills the tmux server: pgscope gets SIGHUP and its pty disappears
    let deadline = Instant::now() + Duration::from_secs(20);
    while proc_dir.exists() {
        assert!(Instant::now() < deadline, "pgscope still running");
        std::thread::sleep(Duration::from_millis(100));
    }
    let text = std::fs::read_to_string(&err).unwrap();
    assert!(!text.contains("Failed to show the cursor"), "{text}");
}
