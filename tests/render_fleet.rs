//! The fleet screen from hand-made members: render snapshots at 80x24 and 200x50 of a cluster
//! (primary, a lagging standby under it), an independent primary near its connection limit, a
//! PgBouncer with a queue, an unreachable server whose error carries escape sequences, and a
//! hostile server name; every line exactly the terminal's width and free of control characters.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use pgscope::config::theme::Theme;
use pgscope::failure::{Failure, Kind};
use pgscope::fleet::member::{Load, Member, Pooling, Reading};
use pgscope::fleet::state::Fleet;
use pgscope::keymap::Keymap;
use pgscope::panes::replication::data::Summary;
use pgscope::snapshot::{PaneError, ServerInfo};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// 2026-01-01 03:12:00 UTC, in µs.
const NOW: i64 = 1_767_237_120_000_000;
const SEC: i64 = 1_000_000;

fn info(in_recovery: bool, xacts: i64, now: i64) -> ServerInfo {
    ServerInfo {
        version: "15.18".into(),
        version_num: 150_018,
        in_recovery,
        start_time: NOW - 3 * 86_400 * SEC,
        now,
        max_connections: 100,
        xacts,
        blks_hit: xacts * 99,
        blks_read: xacts,
        own_xacts: 0,
    }
}

fn postgres(name: &str, system: &str, standby: bool, load: &Load, summary: &Summary) -> Member {
    let mut m = Member::new(name, None, Duration::from_secs(1));
    m.system_id = Some(Ok(system.into()));
    for i in 0..9 {
        let now = NOW - (8 - i) * SEC;
        m.observe(
            Reading {
                info: info(standby, i * i * 40, now),
                replication: Ok(summary.clone()),
                load: Ok(load.clone()),
            },
            now,
        );
    }
    m
}

fn members() -> Vec<Arc<Member>> {
    let primary = postgres(
        "db1",
        "7301",
        false,
        &Load {
            conns: 12,
            active: 3,
            idle_tx: 1,
            idle_tx_us: Some(40 * SEC),
            xid_age: Some(180_000_000),
            xmin_age: Some(2_000),
            ..Load::default()
        },
        &Summary {
            standbys: 1,
            worst_lag_bytes: Some(80 << 20),
            worst_lag: Some(12 * SEC),
            ..Summary::default()
        },
    );
    let standby = postgres(
        "db1-replica",
        "7301",
        true,
        &Load {
            conns: 4,
            ..Load::default()
        },
        &Summary {
            in_recovery: true,
            receiver_status: Some("streaming".into()),
            replay_lag_bytes: Some(80 << 20),
            last_replay: Some(NOW - 12 * SEC),
            ..Summary::default()
        },
    );
    let full = postgres(
        "db2",
        "9902",
        false,
        &Load {
            conns: 97,
            active: 40,
            lock_waits: 3,
            lock_wait_us: Some(95 * SEC),
            longest_us: Some(400 * SEC),
            xid_age: Some(30_000_000),
            ..Load::default()
        },
        &Summary {
            inactive_slots: 1,
            inactive_slots_bytes: Some(3 << 30),
            ..Summary::default()
        },
    );
    let mut pooler = Member::new("db1-bouncer", None, Duration::from_secs(1));
    pooler.observe_pooler(
        Pooling {
            version: "PgBouncer 1.18.0".into(),
            pools: Some(3),
            waiting: Some(8),
            maxwait_us: Some(4 * SEC),
            servers: Some(20),
            error: None,
        },
        NOW,
    );
    let mut down = Member::new("evil\u{1b}[2J\u{202e}name", None, Duration::from_secs(1));
    down.down(
        Failure::new(Kind::Connection, "connection refused\u{1b}]52;c;AAAA\u{7}"),
        Duration::from_secs(4),
        NOW - 40 * SEC,
    );
    let mut unprivileged = postgres("db3", "", false, &Load::default(), &Summary::default());
    unprivileged.system_id = Some(Err(PaneError {
        sqlstate: Some("42501".into()),
        message: "permission denied for function pg_control_system".into(),
    }));
    [primary, standby, full, pooler, down, unprivileged]
        .into_iter()
        .map(Arc::new)
        .collect()
}

fn screen(f: &Fleet, w: u16, h: u16) -> String {
    let theme = Theme::builtin("default").unwrap();
    let keymap = Keymap::default();
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|frame| pgscope::fleet::draw::draw(frame, f, &theme, &keymap))
        .unwrap();
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let sym = buf[(x, y)].symbol();
            out.push_str(sym);
            x += u16::try_from(pgscope::text::width(sym).max(1)).unwrap_or(1);
        }
        out.push('\n');
    }
    for line in out.lines() {
        assert_eq!(pgscope::text::width(line), usize::from(w), "{line:?}");
        assert!(!line.chars().any(char::is_control), "{line:?}");
    }
    out
}

fn fleet(w: u16, h: u16) -> Fleet {
    let mut f = Fleet::new(members(), Duration::from_secs(1), NOW);
    f.width = w;
    f.height = h;
    f
}

#[test]
fn fleet_80x24() {
    let s = screen(&fleet(80, 24), 80, 24);
    // Worst first: the unreachable one, then the crit cluster; the standby under its primary.
    let lines: Vec<&str> = s.lines().collect();
    let p = lines.iter().position(|l| l.starts_with("db1 ")).unwrap();
    assert!(lines[p + 1].starts_with("└ db1-re"), "{s}");
    assert!(s.contains("unreachable: connection"), "{s}");
    // The selected server's findings in full above the keys.
    assert!(
        s.contains("db2: crit: 97% of connections used · warn: lock wait 1m35s"),
        "{s}"
    );
    insta::assert_snapshot!(s);
}

#[test]
fn fleet_200x50() {
    insta::assert_snapshot!(screen(&fleet(200, 50), 200, 50));
}

#[test]
fn tiny_terminals_draw() {
    for (w, h) in [(20, 3), (30, 4), (30, 5), (40, 6)] {
        screen(&fleet(w, h), w, h);
    }
}
