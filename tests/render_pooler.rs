//! The Pooler pane from hand-made pooler reads: render snapshots at 80x24 and 200x50, with
//! waiting clients and a long maxwait, server rows joined to backends, and hostile names from
//! the pooler (escape sequences, wide characters) drawn sanitized.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fixtures::screen::{body_of, screen};
use fixtures::{NOW, backend, snapshot};
use pgscope::action::Action;
use pgscope::panes::Pane;
use pgscope::pooler::Pooler;
use pgscope::pooler::model::{Config, Conn, Pool};
use pgscope::state::State;
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
    let mut settings = std::collections::BTreeMap::new();
    settings.insert("max_client_conn".to_owned(), "100".to_owned());
    settings.insert("default_pool_size".to_owned(), "2".to_owned());
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
    st.pooler.configured = true;
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
