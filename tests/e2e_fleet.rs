//! `pgscope fleet` in a real terminal at 80x24: a primary with a streaming standby, a PgBouncer
//! with clients queued, and an address that refuses connections. The standby is drawn under its
//! primary, the pooler's line sums its pools, the refused one is unreachable with its reason;
//! Enter opens a server in the full UI and Esc comes back to the fleet, still refreshing; Enter
//! on the pooler opens the pooler-only UI.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::TcpListener;

use common::tmux::Tmux;
use pgscope::lab::{self, ClusterOptions};

#[test]
fn fleet_shows_every_server_and_drills_in_and_out() {
    let primary = common::cluster(common::majors()[0]);
    let rt = common::runtime();
    let standby = rt
        .block_on(lab::start_standby(
            &primary,
            "s1",
            &ClusterOptions::default(),
        ))
        .unwrap();
    let pgb = lab::PgBouncer::start(
        &primary,
        &lab::PoolerOptions {
            pool_size: 1,
            ..lab::PoolerOptions::default()
        },
    )
    .unwrap();
    // Three clients in transactions: one holds the server connection, two queue.
    for _ in 0..3 {
        let ci = pgb.conninfo("postgres", "postgres");
        rt.spawn(async move {
            let (c, conn) = tokio_postgres::connect(&ci, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(conn);
            // The queued ones may be closed by the pooler when the test ends.
            let _ = c.simple_query("BEGIN; SELECT 1").await;
            std::future::pending::<()>().await;
        });
    }
    let refused = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let file = primary.socket_dir().join("fleet.toml");
    std::fs::write(
        &file,
        format!(
            "[servers]\nprimary = \"{}\"\nstandby = \"{}\"\nbouncer = \"host=127.0.0.1 port={} user=postgres dbname=pgbouncer\"\nrefused = \"host=127.0.0.1 port={refused} user=postgres connect_timeout=2\"\n",
            primary.conninfo("postgres"),
            standby.conninfo("postgres"),
            pgb.port(),
        ),
    )
    .unwrap();
    let tmux = Tmux::start("fleet", 80, 24);
    let cmd = format!(
        "{} fleet --fleet {}; echo EXIT=$?",
        env!("CARGO_BIN_EXE_pgscope"),
        file.display()
    );
    tmux.keys(&[&cmd, "Enter"]);
    let screen = tmux.wait_for("all four servers", |s| {
        s.contains("pgscope fleet")
            && s.contains("└ standby")
            && s.contains("unreachable")
            && s.contains("crit: 2 client")
    });
    let line = |s: &str, name: &str| {
        s.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name} line: {s}"))
            .to_owned()
    };
    assert!(line(&screen, "primary").contains("primary"), "{screen}");
    assert!(line(&screen, "bouncer").contains("pooler"), "{screen}");
    let lines: Vec<&str> = screen.lines().collect();
    let p = lines.iter().position(|l| l.starts_with("primary")).unwrap();
    assert!(lines[p + 1].starts_with("└ standby"), "{screen}");
    assert!(
        line(&screen, "refused").contains("unreachable: "),
        "{screen}"
    );

    // Into the primary's full UI and back.
    tmux.keys(&["/", "primary", "Enter"]);
    tmux.wait_for("the filter applied", |s| {
        s.contains("/primary") && !s.contains("└ standby") && !s.contains("bouncer")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the full UI", |s| {
        s.contains("Activity") && !s.contains("pgscope fleet")
    });
    tmux.escape();
    let back = tmux.wait_for("the fleet again", |s| s.contains("pgscope fleet"));
    let clock = back.lines().next().unwrap().to_owned();
    tmux.wait_for("the fleet still refreshing", |s| {
        s.lines().next().is_some_and(|l| l != clock)
    });

    // Into the pooler-only UI and back: Esc clears the filter first.
    tmux.escape();
    tmux.wait_for("the filter cleared", |s| s.contains("└ standby"));
    tmux.keys(&["/", "bouncer", "Enter"]);
    tmux.wait_for("the bouncer alone", |s| {
        s.contains("/bouncer") && !s.lines().any(|l| l.starts_with("primary"))
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("the pooler UI", |s| s.contains("pooler only"));
    tmux.escape();
    tmux.wait_for("the fleet again", |s| s.contains("pgscope fleet"));
    tmux.keys(&["q"]);
    tmux.wait_for("a clean exit", |s| s.contains("EXIT=0"));
}
