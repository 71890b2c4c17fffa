//! `pgscope snapshot` in process against real servers: every pane's JSON validates against
//! assets/snapshot.schema.json and round-trips through the public types; its CSV parses back to
//! the same rows; its text is the TUI's drawn pane body for the same snapshot; hostile text is
//! escaped in JSON, sanitized in text and neutralized in CSV.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
mod fixtures;

use std::time::{Duration, Instant};

use pgscope::collect::once::Reader;
use pgscope::collect::{sampler, session};
use pgscope::lab;
use pgscope::panes::Pane;
use pgscope::snapshot_cmd::doc::{Doc, Meta};
use pgscope::snapshot_cmd::run::read_all;
use pgscope::snapshot_cmd::shown::Shown;
use pgscope::snapshot_cmd::{csv_out, json, text};
use pgscope::state::State;
use pgscope::update::{Msg, update};

const HOSTILE_APP: &str = "=cmd|' /C calc'!A0\u{1b}]0;pwned\u{7}";
const HOSTILE_QUERY: &str =
    "SELECT pg_sleep(60) /* \u{1b}]0;pwned\u{7}\u{1b}[2J =HYPERLINK(\"x\") */";

fn validator() -> (boon::Schemas, boon::SchemaIndex) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/snapshot.schema.json"
    ))
    .unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    compiler
        .add_resource("snapshot.schema.json", schema)
        .unwrap();
    let index = compiler
        .compile("snapshot.schema.json", &mut schemas)
        .unwrap();
    (schemas, index)
}

fn fresh(pane: Pane, width: u16) -> Shown {
    let mut state = State::new(Duration::from_millis(500), 0);
    state.pane = pane;
    update(&mut state, Msg::Resize(width, text::START_HEIGHT));
    Shown { pane, state }
}

/// Two reads of every pane but the pooler, 0.5 s apart, with a lock chain, a long query and
/// a hostile session on the server.
async fn views(cluster: &lab::Cluster, width: u16) -> Vec<Shown> {
    let s = session::open(&common::target(cluster, lab::DB))
        .await
        .unwrap();
    let mut reader = Reader::new(sampler::Config::default(), Duration::from_millis(500));
    let mut shown: Vec<Shown> = Pane::ALL
        .iter()
        .filter(|p| **p != Pane::Pooler)
        .map(|&p| fresh(p, width))
        .collect();
    read_all(&mut reader, &s, &mut shown, None).await.unwrap();
    reader
        .wait(&s, Instant::now() + Duration::from_millis(500))
        .await
        .unwrap();
    read_all(&mut reader, &s, &mut shown, None).await.unwrap();
    shown
}

fn meta() -> Meta {
    Meta {
        number: 1,
        count: 1,
        reads_for_rates: true,
        interval: Duration::from_millis(500),
    }
}

#[test]
fn every_pane_as_json_csv_and_text() {
    let (schemas, index) = validator();
    let clusters = common::clusters();
    common::runtime().block_on(async {
        for cluster in &clusters {
            lab::setup(cluster).await.unwrap();
            let _chain = lab::lock_chain(cluster, 3).await.unwrap();
            let _long = lab::long_query(cluster, 60.0).await.unwrap();
            let watcher = cluster.connect(lab::DB, "postgres", "w").await.unwrap();
            let evil = cluster.connect(lab::DB, "postgres", "x").await.unwrap();
            let app = HOSTILE_APP.replace('\'', "''");
            evil.batch_execute(&format!("SET application_name = '{app}'"))
                .await
                .unwrap();
            let evil = std::sync::Arc::new(evil);
            let runner = std::sync::Arc::clone(&evil);
            tokio::spawn(async move {
                let _ = runner.batch_execute(HOSTILE_QUERY).await;
            });
            // The server's own view of the hostile session (PG ≤ 15 turns ESC into '?').
            let (server_app, server_query): (String, String) = common::eventually(
                Duration::from_secs(10),
                "the hostile session is active",
                || async {
                    let row = watcher
                        .query_opt(
                            "SELECT application_name, query FROM pg_stat_activity \
                             WHERE query LIKE '%HYPERLINK%' AND state = 'active' \
                             AND pid <> pg_backend_pid()",
                            &[],
                        )
                        .await
                        .unwrap()?;
                    Some((row.get(0), row.get(1)))
                },
            )
            .await;

            let mut shown = views(cluster, 200).await;
            let (doc, _failed) = json::build(&shown, &meta());
            let line = serde_json::to_string(&doc).unwrap();
            assert!(
                !line.contains('\u{1b}') && !line.contains('\n'),
                "one escaped line"
            );
            let value: serde_json::Value = serde_json::from_str(&line).unwrap();
            if let Err(e) = schemas.validate(&value, index) {
                panic!("PG {}: schema: {e:#}\n{line}", cluster.major());
            }
            let back: Doc = serde_json::from_str(&line).unwrap();
            assert_eq!(back, doc, "round trip");
            assert_eq!(serde_json::to_value(&back).unwrap(), value);
            for s in &shown {
                let name = s.pane.name().to_ascii_lowercase();
                let part = &value["panes"][&name];
                assert!(part.is_object(), "PG {}: {name} missing", cluster.major());
                assert!(
                    part["error"].is_null(),
                    "PG {}: {name}: {}",
                    cluster.major(),
                    part["error"]
                );
            }

            // JSON keeps the server's text exactly.
            let sessions = value["panes"]["activity"]["data"]["sessions"]
                .as_array()
                .unwrap();
            let row = sessions
                .iter()
                .find(|r| r["query"].as_str() == Some(server_query.as_str()))
                .expect("hostile session in JSON");
            assert_eq!(row["application_name"].as_str(), Some(server_app.as_str()));
            let tree = value["panes"]["locks"]["data"]["tree"].as_array().unwrap();
            assert!(tree.len() >= 3, "the chain: {tree:?}");
            assert_eq!(tree[0]["depth"], 0);
            assert!(tree[1]["branch"].as_str().unwrap().contains('─'));

            for s in &shown {
                csv_round_trip(s);
            }
            let mut panes = pgscope::snapshot_cmd::export::Panes::default();
            panes.add(Pane::Activity, &shown[0].state);
            let empty = pgscope::snapshot_cmd::export::columns(Pane::Activity).unwrap();
            let table = csv_out::table(&empty, &panes.table(Pane::Activity).unwrap(), 1, "");
            let app_col = table
                .header
                .iter()
                .position(|h| h == "application_name")
                .unwrap();
            assert!(
                table
                    .rows
                    .iter()
                    .any(|r| r[app_col] == format!("'{server_app}")),
                "neutralized application_name"
            );

            // Text: the TUI's body for the same state, sanitized.
            for s in &mut shown {
                let body = text::body(&mut s.state, 200).unwrap();
                let h = s.state.viewport.size.1;
                let screen = fixtures::screen::screen(&s.state, 200, h);
                let tui = squeeze(&fixtures::screen::body_of(&screen));
                assert_eq!(body, tui, "{:?}", s.pane);
                for line in &body {
                    assert!(!line.chars().any(char::is_control), "{line:?}");
                }
            }
            let activity = text::body(&mut shown[0].state, 200).unwrap().join("\n");
            assert!(activity.contains("␛]0;pwned␇"), "{activity}");
        }
    });
}

/// The pane's CSV table written and parsed back: the same header and rows, no cell a
/// spreadsheet would run (negative numbers are numbers).
fn csv_round_trip(s: &Shown) {
    let mut panes = pgscope::snapshot_cmd::export::Panes::default();
    panes.add(s.pane, &s.state);
    let rows = panes.table(s.pane).unwrap();
    let empty = pgscope::snapshot_cmd::export::columns(s.pane).unwrap();
    let table = csv_out::table(&empty, &rows, 1, "2026-01-01T00:00:00+00:00");
    // The header is the table's own, whatever the rows: an empty table still has its columns.
    let fixed = csv_out::table(&empty, &[], 1, "");
    assert!(fixed.header.len() > 3, "{:?}", fixed.header);
    assert_eq!(table.header, fixed.header, "{:?}", s.pane);
    let mut bytes = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut bytes);
        w.write_record(&table.header).unwrap();
        for r in &table.rows {
            w.write_record(r).unwrap();
        }
        w.flush().unwrap();
    }
    let mut rd = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = rd.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header, table.header);
    let parsed: Vec<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(parsed, table.rows, "{:?}", s.pane);
    assert_eq!(parsed.len(), rows.len());
    for cell in parsed.iter().flatten() {
        let first = cell.chars().next();
        let formula = matches!(first, Some('=' | '+' | '@' | '\t' | '\r'))
            || (first == Some('-') && cell.parse::<f64>().is_err());
        assert!(!formula, "{:?}: {cell:?}", s.pane);
    }
}

/// The TUI's body as the text format prints it: trailing spaces trimmed, blank runs squeezed.
fn squeeze(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in body.lines().map(str::trim_end) {
        if line.is_empty() && out.last().is_none_or(String::is_empty) {
            continue;
        }
        out.push(line.to_owned());
    }
    while out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}
