//! The real binary in a real terminal: pgscope runs in tmux against a real server with a lock
//! chain and a hostile query; keys are sent with send-keys and the screen is read back with
//! capture-pane. The raw pty bytes are checked for escape sequences that came from the server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::tmux::Tmux;

use pgscope::lab;

/// The payload of faults.md T01: title change, clipboard write, cursor move, status report.
const PAYLOAD: &str =
    "\u{1b}]0;pwned\u{7}\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[3;7777H\u{1b}[6n\u{1b}P+q544e\u{1b}\\";

fn raw_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_default()
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

#[test]
fn activity_table_keys_and_terminal_restore() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let (chain, hostile) = rt.block_on(async {
        lab::setup(&cluster).await.unwrap();
        let chain = lab::lock_chain(&cluster, 3).await.unwrap();
        let hostile = cluster
            .connect("postgres", "postgres", "psql")
            .await
            .unwrap();
        let sql = format!("SELECT pg_sleep(300) /* {PAYLOAD} */");
        let runner = tokio::spawn(async move {
            let _ = hostile.batch_execute(&sql).await;
        });
        (chain, runner)
    });
    let pids: Vec<String> = chain.pids().iter().map(ToString::to_string).collect();

    let tmux = Tmux::start("e2e", 200, 50);
    // OSC 52 from the program lands in tmux's paste buffer, where the test can read it.
    tmux.run(&["set", "-s", "set-clipboard", "on"]);
    let dir = tempfile::tempdir().unwrap();
    let raw: PathBuf = dir.path().join("raw.bin");
    tmux.run(&[
        "pipe-pane",
        "-t",
        "t",
        "-O",
        &format!("cat >> {}", raw.display()),
    ]);
    let bin = env!("CARGO_BIN_EXE_pgscope");
    let cmd = format!(
        "{bin} -h {} -p {} -U postgres postgres; echo EXIT=$?",
        cluster.socket_dir().display(),
        cluster.port()
    );
    tmux.keys(&[&cmd, "Enter"]);

    // The live table: header, the chain with its blocked-by pids, the hostile query visible.
    let screen = tmux.wait_for("the activity table", |s| {
        s.contains("PID") && s.contains(&pids[2]) && s.contains("pg_sleep(300)")
    });
    assert!(
        screen.contains("PRIMARY") && screen.contains("lock waits 2"),
        "{screen}"
    );
    let blocked_row = screen
        .lines()
        .find(|l| l.trim_start().starts_with(&pids[2]))
        .unwrap();
    assert!(
        blocked_row.contains(&pids[1]),
        "blocked-by missing: {blocked_row}"
    );
    assert!(
        screen.contains("␛]0;pwned␇"),
        "payload not shown as text:\n{screen}"
    );

    // Sort: '>' moves the sort marker from QUERY AGE to STATE AGE.
    tmux.keys(&[">"]);
    tmux.wait_for("sort by state age", |s| s.contains("STATE AGE▼"));

    // Filter: only the root blocker's user.
    tmux.keys(&["/", "user:batch", "Enter"]);
    let screen = tmux.wait_for("the filtered table", |s| {
        s.contains("filter: user:batch") && s.contains("1 of")
    });
    assert!(
        screen.contains(&pids[0]) && !screen.contains(&pids[2]),
        "{screen}"
    );

    // Help overlay from the keymap, closed by a key it has no use for.
    tmux.keys(&["?"]);
    tmux.wait_for("help", |s| s.contains("Activity pane"));
    tmux.keys(&["x"]);
    tmux.wait_for("help closed", |s| !s.contains("Activity pane"));

    // Copy the hostile query: the clipboard gets it with its escapes made visible, so a paste
    // cannot replay them.
    tmux.escape();
    tmux.keys(&["/", "pg_sleep(300)", "Enter"]);
    tmux.wait_for("the hostile row alone", |s| s.contains("1 of"));
    tmux.keys(&["y"]);
    tmux.wait_for("the copy", |s| s.contains("query copied"));
    let copied = tmux.run(&["show-buffer"]);
    assert!(
        copied.contains("pg_sleep(300)") && copied.contains("␛]0;pwned␇"),
        "{copied:?}"
    );
    assert!(
        !copied.contains('\u{1b}') && !copied.contains('\u{7}'),
        "{copied:?}"
    );

    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    tmux.keys(&[
        "stty -a | tr ' ' '\\n' | grep -x -e icanon -e echo | tr '\\n' ,; echo",
        "Enter",
    ]);
    tmux.wait_for("a cooked terminal", |s| s.contains("icanon,echo,"));

    // Nothing the server sent reached the terminal as an escape sequence.
    let bytes = raw_bytes(&raw);
    for marker in [
        "\u{1b}]0;pwned",
        "\u{1b}]52;c;cHduZWQ=",
        "\u{1b}[3;7777H",
        "\u{1b}[6n",
        "\u{1b}P+q",
    ] {
        assert_eq!(
            count(&bytes, marker.as_bytes()),
            0,
            "{marker:?} reached the terminal"
        );
    }
    assert_eq!(count(&bytes, b"\x07"), 0, "BEL reached the terminal");
    assert!(
        !tmux
            .run(&["display", "-p", "-t", "t", "#{pane_title}"])
            .contains("pwned")
    );
    // The alternate screen was left and the cursor shown again.
    assert!(count(&bytes, b"\x1b[?1049l") >= 1 && count(&bytes, b"\x1b[?25h") >= 1);

    hostile.abort();
    drop(chain);
}

/// A failed connection prints one psql-style line and exits 2, without touching the terminal.
#[test]
fn connection_failure_is_one_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(["-h", "/nonexistent-dir", "-p", "5999", "postgres"])
        .env_remove("PGHOST")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("pgscope: error: connection to server on socket \"/nonexistent-dir/.s.PGSQL.5999\" failed"),
        "{err}"
    );
    assert!(out.stdout.is_empty());
}

/// select → K → y in a real terminal: exactly the selected backend ends, the outcome is shown and
/// logged; with --read-only the same keys signal nothing.
#[test]
fn terminate_from_the_keyboard_and_read_only() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let (victim, bystander) = rt.block_on(async {
        lab::setup(&cluster).await.unwrap();
        (
            lab::long_query(&cluster, 300.0).await.unwrap(),
            lab::long_query(&cluster, 300.0).await.unwrap(),
        )
    });
    let alive = |pid: i32| {
        rt.block_on(async {
            let c = cluster
                .connect("postgres", "postgres", "test")
                .await
                .unwrap();
            c.query_opt("SELECT 1 FROM pg_stat_activity WHERE pid = $1", &[&pid])
                .await
                .unwrap()
                .is_some()
        })
    };
    let state = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_pgscope");
    let run = |extra: &str| {
        format!(
            "XDG_STATE_HOME={} {bin} {extra} -h {} -p {} -U postgres postgres; echo EXIT=$?",
            state.path().display(),
            cluster.socket_dir().display(),
            cluster.port()
        )
    };
    let pid = victim.pid().to_string();

    // Read-only first: K is refused and nothing is signalled.
    let tmux = Tmux::start("ro", 200, 50);
    tmux.keys(&[&run("--read-only"), "Enter"]);
    tmux.wait_for("the table", |s| s.contains(&pid));
    tmux.keys(&["/", &pid, "Enter"]);
    tmux.wait_for("the filter", |s| s.contains("1 of"));
    tmux.keys(&["K"]);
    tmux.wait_for("the refusal", |s| {
        s.contains("terminate: disabled (read-only)")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    drop(tmux);
    assert!(alive(victim.pid()));

    let tmux = Tmux::start("kill", 200, 50);
    tmux.keys(&[&run(""), "Enter"]);
    tmux.wait_for("the table", |s| s.contains(&pid));
    tmux.keys(&["/", &pid, "Enter"]);
    tmux.wait_for("the filter", |s| s.contains("1 of"));
    tmux.keys(&["K"]);
    let dialog = tmux.wait_for("the confirmation", |s| s.contains("terminate 1 backend?"));
    assert!(
        dialog.contains(&pid) && dialog.contains("reporting") && dialog.contains("pg_sleep"),
        "{dialog}"
    );
    tmux.keys(&["y"]);
    tmux.wait_for("the outcome", |s| {
        s.contains(&format!("pid {pid}: terminated"))
    });
    tmux.keys(&["q", "q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));

    assert!(!alive(victim.pid()), "the selected backend is still there");
    assert!(alive(bystander.pid()), "another backend was hit");
    let log = std::fs::read_to_string(state.path().join("pgscope/actions.log")).unwrap();
    assert!(
        log.contains(&format!("action=terminate pid={pid} ")),
        "{log}"
    );
    assert!(log.contains("outcome=terminated"), "{log}");
}

/// The Locks pane in a real terminal: the blocking tree of a live chain, and `B` jumping from a
/// waiter to its root blocker.
#[test]
fn locks_tree_and_jump_to_root_blocker() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let chain = rt.block_on(async {
        lab::setup(&cluster).await.unwrap();
        lab::lock_chain(&cluster, 3).await.unwrap()
    });
    let pids: Vec<String> = chain.pids().iter().map(ToString::to_string).collect();
    let tmux = Tmux::start("locks", 200, 50);
    let cmd = common::tmux::pgscope_on(&cluster);
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the activity table", |s| s.contains(&pids[2]));
    tmux.keys(&["2"]);
    let screen = tmux.wait_for("the blocking tree", |s| {
        s.contains(&format!("└─{}", pids[1]))
            && s.contains(&format!("└─{}", pids[2]))
            && s.contains("Exclusive")
    });
    let root = screen
        .lines()
        .find(|l| l.starts_with(&pids[0]))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(root.contains("idle in tx"), "{root}");

    // From the deepest waiter in Activity, B selects the root blocker.
    // (Each Escape is followed by a wait: ESC and the next key together read as Alt+key.)
    tmux.keys(&["1", "/", &pids[2], "Enter"]);
    tmux.wait_for("the waiter alone", |s| s.contains("1 of"));
    tmux.escape();
    tmux.wait_for("the filter cleared", |s| {
        !s.contains("filter:") && s.contains("QUERY AGE")
    });
    tmux.keys(&["B"]);
    tmux.keys(&["Enter"]);
    tmux.wait_for("details of the root blocker", |s| {
        s.contains(&format!(" pid {} ", pids[0]))
    });
    tmux.escape();
    tmux.wait_for("details closed", |s| {
        !s.contains("j/k scroll") && s.contains("QUERY AGE")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    drop(chain);
}

/// A resize storm over wide and combining text (faults.md T05, T22): pgscope stays up, and the
/// last frame, with the wide text on it, fits the final size.
#[test]
fn resize_storm_over_wide_text() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let sleeper = rt.block_on(async {
        // PostgreSQL turns non-ASCII application names into '?'; a database name stays wide.
        let admin = cluster
            .connect("postgres", "postgres", "test")
            .await
            .unwrap();
        admin
            .batch_execute("CREATE DATABASE \"寿司🍣\"")
            .await
            .unwrap();
        let c = std::sync::Arc::new(cluster.connect("寿司🍣", "postgres", "wide").await.unwrap());
        let runner = std::sync::Arc::clone(&c);
        tokio::spawn(async move {
            let _ = runner
                .batch_execute(
                    "SELECT pg_sleep(60) /* 日本語のテキスト 🙂🙂 cafe\u{301} ｗｉｄｅ */",
                )
                .await;
        });
        c
    });
    let tmux = Tmux::start("resize", 200, 50);
    let cmd = common::tmux::pgscope_on(&cluster);
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the wide query", |s| s.contains("日本語"));
    // Deterministic sizes from tiny to wide, a few milliseconds apart.
    let mut x: u32 = 12_345;
    for _ in 0..60 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let (w, h) = (10 + (x >> 8) % 230, 3 + (x >> 20) % 70);
        tmux.run(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &w.to_string(),
            "-y",
            &h.to_string(),
        ]);
        std::thread::sleep(std::time::Duration::from_millis(15));
    }
    tmux.run(&["resize-window", "-t", "t", "-x", "190", "-y", "40"]);
    let screen = tmux.wait_for("the table at 190x40", |s| {
        s.contains("PRIMARY") && s.contains("日本語")
    });
    let size = tmux.run(&[
        "display",
        "-p",
        "-t",
        "t",
        "#{window_width}x#{window_height}",
    ]);
    assert_eq!(size.trim(), "190x40");
    // tmux clips what is wider than the window, so the check is alignment: after the wide
    // database name, the user and the query start in the columns their headers start in.
    let width = unicode_width::UnicodeWidthStr::width;
    let header = screen.lines().find(|l| l.contains("QUERY AGE")).unwrap();
    let row = screen
        .lines()
        .find(|l| l.contains("日本語"))
        .unwrap_or_else(|| panic!("{screen}"));
    assert!(row.contains("寿司"), "{row}");
    let user = (header.find(" USER"), row.find(" postgres"));
    let query = (header.rfind(" QUERY"), row.find(" SELECT"));
    for (h, r) in [user, query] {
        let (h, r) = (h.unwrap(), r.unwrap());
        assert_eq!(width(&header[..h]), width(&row[..r]), "{header}\n{row}");
    }
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    drop(sleeper);
}

/// Mouse reports as a terminal sends them (SGR, 1-based cells): a click on a tab switches panes
/// and a click on a column header of another pane's table sorts by it.
#[test]
fn clicks_switch_panes_and_sort_another_panes_table() {
    let cluster = common::cluster(common::majors()[0]);
    let tmux = Tmux::start("mouse", 160, 40);
    let cmd = common::tmux::pgscope_on(&cluster);
    tmux.keys(&[&cmd, "Enter"]);
    let screen = tmux.wait_for("the table", |s| s.contains("PRIMARY") && s.contains("PID"));
    let click = |line: &str, y: usize, label: &str| {
        let x = unicode_width::UnicodeWidthStr::width(&line[..line.find(label).unwrap()]) + 2;
        tmux.keys(&["-l", &format!("\u{1b}[<0;{x};{y}M\u{1b}[<0;{x};{y}m")]);
    };
    let (y, tabs) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("4 Connections"))
        .unwrap();
    click(tabs, y + 1, "4 Connections");
    let screen = tmux.wait_for("the Connections pane", |s| {
        s.contains("slots ") && s.contains("TOTAL▼")
    });
    let (y, header) = screen
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("TOTAL▼"))
        .unwrap();
    click(header, y + 1, "IDLE");
    tmux.wait_for("sorted by idle", |s| {
        s.contains("IDLE▼") && !s.contains("TOTAL▼")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
}

/// Pane 7 in a real terminal: a statement run in a loop shows with its rate, Enter its figures,
/// `e` its generic plan, `w` reaches the cumulative totals.
#[test]
fn statements_pane_rates_and_totals() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let c = rt.block_on(async {
        let c = cluster
            .connect("postgres", "postgres", "app")
            .await
            .unwrap();
        c.batch_execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
            .await
            .unwrap();
        c
    });
    let load = rt.spawn(async move {
        while c
            .simple_query("SELECT count(*) FROM pg_class WHERE relpages > 10 /* e2e-stmt */")
            .await
            .is_ok()
        {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    });
    let tmux = Tmux::start("stmts", 200, 50);
    let cmd = common::tmux::pgscope_on(&cluster);
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the activity table", |s| s.contains("QUERY AGE"));
    tmux.keys(&["7"]);
    let screen = tmux.wait_for("the statement with its rate", |s| {
        s.contains("CALLS/S") && s.contains("interval over") && s.contains("e2e-stmt")
    });
    let row = screen.lines().find(|l| l.contains("e2e-stmt")).unwrap();
    assert!(row.starts_with("postgres"), "{row}");
    // By calls/s the loop's statement is on top (the selection follows the statement it was
    // on, so `g` moves to the top row): Enter shows its interval and cumulative figures, e its
    // generic plan, Esc closes.
    tmux.keys(&["<"]);
    tmux.wait_for("sorted by calls", |s| {
        let rows: Vec<&str> = s.lines().collect();
        rows.iter()
            .position(|l| l.contains("CALLS/S▼"))
            .and_then(|i| rows.get(i + 1))
            .is_some_and(|l| l.contains("e2e-stmt"))
    });
    tmux.keys(&["g", "Enter"]);
    tmux.wait_for("the details", |s| {
        s.contains("cumulative  calls") && s.contains("e explains") && s.contains("e2e-stmt")
    });
    tmux.keys(&["e"]);
    tmux.wait_for("the statement's generic plan", |s| {
        s.contains("EXPLAIN queryid") && s.contains("generic plan") && s.contains("pg_class")
    });
    tmux.escape();
    tmux.escape();
    tmux.wait_for("the table again", |s| s.contains("CALLS/S▼"));
    tmux.keys(&["w", "w", "w", "w"]);
    tmux.wait_for("cumulative totals", |s| {
        s.contains("cumulative since") && s.contains("CALLS") && !s.contains("CALLS/S")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    load.abort();
}

/// `--pooler` in a real terminal: P opens the Pooler pane with the clients queued in a real
/// PgBouncer, and Enter on the server row joined to its backend opens Activity on it.
#[test]
fn pooler_pane_shows_the_queue() {
    let cluster = common::cluster(common::majors()[0]);
    let pgb = lab::PgBouncer::start(
        &cluster,
        &lab::PoolerOptions {
            pool_size: 1,
            ..lab::PoolerOptions::default()
        },
    )
    .unwrap();
    let rt = common::runtime();
    // Three clients, each opening a transaction: one holds the only server connection, two
    // queue. They stay until the runtime is dropped at the end.
    for _ in 0..3 {
        let ci = pgb.conninfo("postgres", "postgres");
        rt.spawn(async move {
            let (c, conn) = tokio_postgres::connect(&ci, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            c.simple_query("BEGIN; SELECT 1").await.unwrap();
            std::future::pending::<()>().await;
        });
    }
    let tmux = Tmux::start("pooler", 200, 50);
    let cmd = format!(
        "{} -h {} -p {} -U postgres postgres --pooler '{}'; echo EXIT=$?",
        env!("CARGO_BIN_EXE_pgscope"),
        cluster.socket_dir().display(),
        cluster.port(),
        pgb.admin_conninfo("postgres")
    );
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the activity table", |s| s.contains("QUERY AGE"));
    tmux.keys(&["P"]);
    let screen = tmux.wait_for("two clients queued", |s| {
        s.contains("QUEUING") && s.lines().filter(|l| l.starts_with("waiting ")).count() == 2
    });
    assert!(screen.contains("P Pooler"), "{screen}");
    // Past the two pools (the queue's and the admin console's) to the server row.
    tmux.keys(&["j", "j", "Enter"]);
    tmux.wait_for("Activity on the joined backend", |s| {
        s.contains("QUERY AGE") && s.contains("SELECT 1")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
    drop(rt);
    drop(pgb);
}

/// The Settings (9) and Tables (8) panes in a real terminal: a pending restart listed first, the
/// pane's own `/` search narrowing the parameters and Esc clearing it; the tables and `>`,
/// an exact size, and `D` to another database and an exact size there.
#[test]
fn settings_and_tables_panes() {
    let cluster = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    rt.block_on(async {
        let admin = cluster
            .connect("postgres", "postgres", "setup")
            .await
            .unwrap();
        for sql in [
            "ALTER SYSTEM SET shared_buffers = '64MB'",
            "SELECT pg_reload_conf()",
            "CREATE TABLE IF NOT EXISTS e2e_sized (id int PRIMARY KEY)",
            "CREATE DATABASE e2e_other",
        ] {
            admin.batch_execute(sql).await.unwrap();
        }
        let other = cluster
            .connect("e2e_other", "postgres", "setup")
            .await
            .unwrap();
        other
            .batch_execute("CREATE TABLE e2e_elsewhere (id int PRIMARY KEY)")
            .await
            .unwrap();
    });
    let tmux = Tmux::start("settings", 160, 40);
    let cmd = common::tmux::pgscope_on(&cluster);
    tmux.keys(&[&cmd, "Enter"]);
    tmux.wait_for("the activity table", |s| s.contains("QUERY AGE"));
    tmux.keys(&["9"]);
    tmux.wait_for("the pending restart", |s| {
        s.contains("Parameters ·") && s.contains("pending restart · ")
    });
    tmux.keys(&["/", "shared_b"]);
    tmux.wait_for("the search", |s| {
        s.contains("matching \"shared_b\"") && s.contains("Parameters · 1 set")
    });
    tmux.keys(&["Enter"]);
    tmux.escape();
    tmux.wait_for("the search cleared", |s| {
        !s.contains("matching \"") && s.contains("Parameters ·")
    });
    tmux.keys(&["8"]);
    tmux.wait_for("the tables", |s| {
        s.contains("statistics of database postgres") && s.contains("flagged indexes")
    });
    tmux.keys(&[">"]);
    tmux.wait_for("sorted by dead", |s| s.contains("by dead▼"));
    tmux.keys(&["s"]);
    tmux.wait_for("the exact size", |s| s.contains("[exact "));
    // D: the next database (sorted: e2e_other after postgres, wrapping), read on a connection
    // of its own; its table's exact size is measured in that database.
    tmux.keys(&["D"]);
    tmux.wait_for("the other database", |s| {
        s.contains("statistics of database e2e_other") && s.contains("public.e2e_elsewhere")
    });
    tmux.keys(&["s"]);
    tmux.wait_for("the exact size there", |s| {
        s.contains("[exact ") && s.contains("e2e_elsewhere")
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
}
