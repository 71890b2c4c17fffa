//! The Pooler pane from hand-made pooler reads: render snapshots at 80x24 and 200x50, with
//! waiting clients and a long maxwait, server rows joined to backends, and hostile names from
//! the pooler (escape sequences, wide characters) drawn sanitized.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fixtures::screen::{body_of, cell_of, screen};
use fixtures::{NOW, backend, snapshot};
use pgscope::action::Action;
use pgscope::panes::Pane;
use pgscope::panes::pooler::view::{ConnKey, RowKey};
use pgscope::pooler::Pooler;
use pgscope::pooler::model::{Config, Conn, Pool};
use pgscope::state::State;
use pgscope::update::mouse::MouseInput;
use pgscope::update::{Msg, update};

fn conn(kind: &str, db: &str, user: &str, state: &str, port: i32) -> Conn {
    Conn {
        kind: kind.into(),
        user: user.into(),
        database: db.into(),
        state: state.into(),
        addr: Some("127.0.0.1".into()),
        port: Some(if kind == "S" { 5432 } else { port }),
        local_port: Some(port),
        ..Conn::default()
    }
}

fn read(db: &str, user: &str) -> Pooler {
    let pool = Pool {
        database: db.into(),
        user: user.into(),
        cl_active: Some(2),
        cl_waiting: Some(6),
        sv_active: Some(2),
        sv_idle: Some(0),
        maxwait_us: Some(3_500_000),
        pool_mode: Some("transaction".into()),
        ..Pool::default()
    };
    let quiet = Pool {
        database: "reports".into(),
        user: "ro".into(),
        cl_active: Some(1),
        cl_waiting: Some(0),
        sv_idle: Some(1),
        maxwait_us: Some(0),
        pool_mode: Some("session".into()),
        ..Pool::default()
    };
    let mut servers = vec![
        conn("S", db, user, "active", 50_000),
        conn("S", db, user, "active", 50_001),
    ];
    servers[0].remote_pid = Some(101);
    servers[1].remote_pid = Some(999);
    let mut clients = vec![conn("C", db, user, "active", 41_000)];
    for i in 0..3 {
        let mut c = conn("C", db, user, "waiting", 41_001 + i);
        c.wait_us = Some(3_500_000 - i64::from(i) * 1_000_000);
        clients.push(c);
    }
    // The first client holds the first server; ages on the pooler's clock (clients' request
    // time is the newest: now).
    let at = |c: &mut Conn, ptr: String, connected: i64| {
        c.ptr = Some(ptr);
        c.connect_secs = Some(1_000 - connected);
        c.connect_time = Some(format!("t-{connected}"));
        c.request_secs = Some(1_000);
    };
    for (i, s) in servers.iter_mut().enumerate() {
        at(s, format!("0xs{i}"), 3_600);
    }
    for (i, c) in clients.iter_mut().enumerate() {
        at(c, format!("0xc{i}"), 65 + i as i64);
        c.application_name = Some(format!("{user}-worker"));
    }
    servers[0].link = Some("0xc0".into());
    clients[0].link = Some("0xs0".into());
    let mut settings = std::collections::BTreeMap::new();
    settings.insert("max_client_conn".to_owned(), "100".to_owned());
    settings.insert("default_pool_size".to_owned(), "2".to_owned());
    settings.insert("reserve_pool_size".to_owned(), "1".to_owned());
    Pooler {
        version: "PgBouncer 1.23.1".into(),
        read_at: NOW,
        pools: Ok(vec![quiet, pool]),
        stats: Ok(Vec::new()),
        clients: Ok(clients),
        servers: Ok(servers),
        config: Ok(Config { settings }),
        databases: Ok(Vec::new()),
    }
}

fn state(w: u16, h: u16, p: Pooler) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    st.views.pooler.configured = true;
    update(&mut st, Msg::Resize(w, h));
    let b = backend(
        101,
        "active",
        "UPDATE accounts SET balance = balance - 1",
        2,
    );
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snapshot(1, vec![b]),
            now: NOW,
        },
    );
    update(&mut st, Msg::Pooler(Arc::new(p)));
    update(&mut st, Msg::PoolerLink(pgscope::snapshot::Link::Connected));
    update(&mut st, Msg::Action(Action::Pane(10)));
    assert_eq!(st.pane, Pane::Pooler);
    st
}

#[test]
fn pooler_80x24() {
    let st = state(80, 24, read("shop", "app_rw"));
    let text = screen(&st, 80, 24);
    assert!(text.contains("QUEUING"), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn pooler_200x50() {
    let st = state(200, 50, read("shop", "app_rw"));
    let text = screen(&st, 200, 50);
    assert!(
        text.contains("UPDATE accounts"),
        "joined backend's query: {text}"
    );
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn pooler_hostile_names() {
    let st = state(200, 50, read("sh\x1b[2Jop\u{202e}", "\x07us\u{7f}er名前"));
    let text = screen(&st, 200, 50);
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn without_a_pooler_tab_skips_the_pane() {
    let mut st = State::new(Duration::from_secs(1), NOW);
    update(&mut st, Msg::Resize(80, 24));
    for _ in 0..12 {
        update(&mut st, Msg::Action(Action::NextPane));
        assert_ne!(st.pane, Pane::Pooler);
    }
    let text = screen(&st, 80, 24);
    assert!(!text.contains("Pooler"), "{text}");
}

/// A read with `n` waiting clients, one per port from 42000, waiting longest first.
fn crowded(n: i32) -> Pooler {
    let mut p = read("shop", "app_rw");
    let clients: Vec<Conn> = (0..n)
        .map(|i| {
            let mut c = conn("C", "shop", "app_rw", "waiting", 42_000 + i);
            c.ptr = Some(format!("0xq{i}"));
            c.connect_time = Some("t".into());
            c.wait_us = Some(i64::from(n - i) * 1_000_000);
            c
        })
        .collect();
    p.clients = Ok(clients);
    p
}

#[test]
fn the_client_list_scrolls_to_the_selection_and_a_click_selects() {
    let mut st = state(80, 24, crowded(40));
    let text = screen(&st, 80, 24);
    assert!(!text.contains(":42039"), "40 clients do not fit: {text}");
    // Down past the pools and the servers, into the clients, to the last one.
    for _ in 0..60 {
        update(&mut st, Msg::Action(Action::Down));
    }
    let text = screen(&st, 80, 24);
    assert!(
        text.contains("127.0.0.1:42039"),
        "scrolled to the end: {text}"
    );
    assert!(text.contains(" CLIENTS "), "the heads stay: {text}");
    // A click on another client selects that one, by its identity.
    let (x, y) = cell_of(&text, "127.0.0.1:42035", 0);
    update(&mut st, Msg::Mouse(MouseInput::Click { x, y }));
    let picked = RowKey::Client(ConnKey {
        ptr: Some("0xq35".into()),
        connect_time: Some("t".into()),
    });
    assert_eq!(st.views.pooler.selected, Some(picked.clone()));
    // The next read lists the clients in another order: the selection stays on 0xq35.
    let mut again = crowded(40);
    if let Ok(c) = &mut again.clients {
        c.reverse();
        for (i, c) in c.iter_mut().enumerate() {
            c.wait_us = Some(i as i64 * 1_000_000);
        }
    }
    update(&mut st, Msg::Pooler(Arc::new(again)));
    assert_eq!(st.views.pooler.selected, Some(picked));
    let text = screen(&st, 80, 24);
    assert!(text.contains("127.0.0.1:42035"), "still in view: {text}");
    // The wheel moves it like the keys.
    let before = st.views.pooler.cursor;
    update(&mut st, Msg::Mouse(MouseInput::WheelUp));
    assert!(st.views.pooler.cursor < before, "the wheel scrolls up");
}

#[test]
fn a_click_on_a_server_row_then_enter_opens_its_backend() {
    let mut st = state(80, 24, read("shop", "app_rw"));
    let text = screen(&st, 80, 24);
    let (x, y) = cell_of(&text, "UPDATE accounts", 0);
    update(&mut st, Msg::Mouse(MouseInput::Click { x, y }));
    assert!(matches!(st.views.pooler.selected, Some(RowKey::Server(_))));
    update(&mut st, Msg::Action(Action::Details));
    assert_eq!(st.pane, Pane::Activity);
    assert_eq!(st.views.activity.selected, Some(101));
}

#[test]
fn the_header_says_when_the_pooler_is_stale_or_down() {
    let mut st = state(120, 24, read("shop", "app_rw"));
    let text = screen(&st, 120, 24);
    assert!(text.lines().nth(1).unwrap().contains("pooler ok"), "{text}");
    // No read for 5 s at a 1 s interval: STALE in the header and in the pane.
    update(&mut st, Msg::Tick(NOW + 5_000_000));
    let text = screen(&st, 120, 24);
    assert!(
        text.lines().nth(1).unwrap().contains("pooler STALE"),
        "{text}"
    );
    assert!(text.contains("last read 5s ago"), "{text}");
    let down = pgscope::snapshot::Link::Down {
        cause: pgscope::failure::Failure::new(
            pgscope::failure::Kind::Connection,
            "connection refused\x1b]0;pwned\x07",
        ),
        retry_in: Duration::from_secs(2),
    };
    update(&mut st, Msg::PoolerLink(down));
    let text = screen(&st, 120, 24);
    assert!(
        text.contains("pooler down, retry in 2s: connection refused"),
        "{text}"
    );
    assert!(!text.contains('\x1b') && !text.contains('\x07'), "{text}");
}
