//! The fleet's collectors against real servers: a primary with a streaming standby, a second
//! independent primary, an address that refuses connections and a TCP listener that never
//! answers. The primary and its standby are one cluster, the standby under it; the refused and
//! the silent one are unreachable within their connect timeout while the others keep reading; a
//! server stopped mid-run becomes unreachable; the standby promoted during the run changes role.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use pgscope::fleet::config::Section;
use pgscope::fleet::member::Member;
use pgscope::fleet::table::{self, Sort};
use pgscope::fleet::targets;
use pgscope::fleet::task::{self, Wire};
use pgscope::lab::{self, ClusterOptions};
use tokio::sync::{Notify, watch};

fn now() -> i64 {
    pgscope::collect::rows::to_micros(std::time::SystemTime::now())
}

#[test]
#[allow(clippy::too_many_lines)] // one run of the servers: start, settle, stop one, promote one
fn fleet_groups_clusters_marks_the_unreachable_and_follows_promotion() {
    let major = common::majors()[0];
    let primary = common::cluster(major);
    let other = common::cluster(major);
    let rt = common::runtime();
    rt.block_on(async {
        let standby = lab::start_standby(&primary, "s1", &ClusterOptions::default())
            .await
            .unwrap();
        // A port nobody listens on (bound, then released) and one that accepts and never replies.
        let refused = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let silent = TcpListener::bind("127.0.0.1:0").unwrap();
        let silent_port = silent.local_addr().unwrap().port();
        let mut section = Section::default();
        for (name, conninfo) in [
            ("primary", primary.conninfo("postgres")),
            ("standby", standby.conninfo("postgres")),
            ("other", other.conninfo("postgres")),
            (
                "refused",
                format!("host=127.0.0.1 port={refused} user=postgres connect_timeout=2"),
            ),
            (
                "silent",
                format!("host=127.0.0.1 port={silent_port} user=postgres connect_timeout=2"),
            ),
        ] {
            section.servers.insert(name.to_owned(), conninfo);
        }
        let servers = targets::select(&[], &section, &|_| None).unwrap();
        let changed = Arc::new(Notify::new());
        let (_interval_tx, interval_rx) = watch::channel(Duration::from_millis(500));
        let mut rxs = Vec::new();
        for s in &servers {
            let (tx, rx) = watch::channel(Arc::new(Member::new(&s.name, None, Duration::ZERO)));
            let wire = Wire {
                out: tx,
                changed: Arc::clone(&changed),
                interval: interval_rx.clone(),
            };
            tokio::spawn(task::run(s.clone(), None, wire));
            rxs.push(rx);
        }
        let members = || {
            rxs.iter()
                .map(|r| Arc::clone(&r.borrow()))
                .collect::<Vec<_>>()
        };
        let line_of = |lines: &[table::Line], name: &str| {
            lines
                .iter()
                .position(|l| l.cells[0].ends_with(name))
                .unwrap()
        };
        let started = std::time::Instant::now();
        let lines = common::eventually(
            Duration::from_secs(30),
            "every server read or marked",
            || {
                let ms = members();
                let lines = table::lines(&ms, Sort::Name, false, "", now(), 0);
                let settled = lines
                    .iter()
                    .all(|l| l.status.text.starts_with("unreachable") || !l.cells[1].is_empty());
                async move { settled.then_some(lines) }
            },
        )
        .await;
        // Marked within the connect timeout (2 s) plus a retry, not after the others' deadline.
        assert!(started.elapsed() < Duration::from_secs(10));
        let text = |name: &str| lines[line_of(&lines, name)].status.text.clone();
        assert!(
            text("refused").starts_with("unreachable: "),
            "{}",
            text("refused")
        );
        assert!(
            text("silent").starts_with("unreachable: "),
            "{}",
            text("silent")
        );
        // The standby sits right under its primary; the other primary is a cluster of its own.
        let p = line_of(&lines, "primary");
        assert_eq!(lines[p + 1].cells[0], "└ standby");
        assert_eq!(lines[p + 1].cells[1], "standby");
        assert_eq!(lines[line_of(&lines, "other")].depth, 0);
        assert_eq!(
            lines[p].cells[12].split(' ').next(),
            Some("1"),
            "{:?}",
            lines[p].cells
        );

        // Stopped mid-run: unreachable, while the primary keeps reading.
        let before = members()[servers.iter().position(|s| s.name == "primary").unwrap()]
            .last_good
            .unwrap();
        other.stop_fast().unwrap();
        common::eventually(
            Duration::from_secs(20),
            "the stopped server unreachable",
            || {
                let ms = members();
                let lines = table::lines(&ms, Sort::Name, false, "", now(), 0);
                let down = lines[line_of(&lines, "other")]
                    .status
                    .text
                    .starts_with("unreachable");
                let fresh =
                    ms.iter().find(|m| m.name == "primary").unwrap().last_good > Some(before);
                async move { (down && fresh).then_some(()) }
            },
        )
        .await;

        // Promoted during the run: its role says so.
        standby.promote().unwrap();
        common::eventually(Duration::from_secs(20), "the standby promoted", || {
            let ms = members();
            let lines = table::lines(&ms, Sort::Name, false, "", now(), 0);
            let role = lines[line_of(&lines, "standby")].cells[1].clone();
            async move { (role == "promoted").then_some(()) }
        })
        .await;
        drop(silent);
    });
}

#[test]
fn snapshot_prints_the_fleet_as_json_and_text() {
    let cluster = common::cluster(common::majors()[0]);
    let refused = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let file = cluster.socket_dir().join("fleet.toml");
    std::fs::write(
        &file,
        format!(
            "[fleet.servers]\ndb = \"{}\"\ngone = \"host=127.0.0.1 port={refused} user=postgres connect_timeout=2\"\n",
            cluster.conninfo("postgres")
        ),
    )
    .unwrap();
    let run = |format: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pgscope"))
            .args([
                "snapshot",
                "--fleet",
                file.to_str().unwrap(),
                "--format",
                format,
            ])
            .args(["--width", "120", "-i", "0.5"])
            .output()
            .unwrap()
    };
    let out = run("json");
    assert_eq!(out.status.code(), Some(1), "one server is unreachable");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let servers = doc["servers"].as_array().unwrap();
    let of = |name: &str| servers.iter().find(|s| s["name"] == name).unwrap().clone();
    assert_eq!(of("db")["role"], "primary");
    assert!(of("db")["tps_per_s"].is_number(), "{doc}");
    assert_eq!(of("gone")["level"], "crit");
    assert!(
        of("gone")["status"]
            .as_str()
            .unwrap()
            .starts_with("unreachable: ")
    );
    let text = String::from_utf8(run("text").stdout).unwrap();
    assert!(text.starts_with("pgscope fleet · 2 servers"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("db ") && l.contains("primary")),
        "{text}"
    );
}
