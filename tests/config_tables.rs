//! Visible columns and their order for the panes' tables besides Activity's, from fixture
//! files: what a valid file changes (and what it leaves alone), the exact messages for unknown,
//! repeated, missing and required columns and unknown tables, and the panes drawn with a custom
//! choice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use fixtures::screen::{body_of, screen};
use fixtures::{NOW, progress, waits};
use pgscope::action::Action;
use pgscope::config::Config;
use pgscope::snapshot::Snapshot;
use pgscope::state::State;
use pgscope::state::tables::{Table, TableColumns};
use pgscope::update::{Msg, update};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

fn parse(name: &str) -> Result<Config, Vec<String>> {
    let path = fixture(name);
    let text = std::fs::read_to_string(&path).unwrap();
    Config::parse(&path, &text).map_err(|e| {
        e.0.iter()
            .map(|e| e.to_string().replace(&path.display().to_string(), name))
            .collect()
    })
}

fn names(c: &TableColumns, t: Table) -> Vec<&'static str> {
    c.get(t).iter().map(|&i| t.columns()[i]).collect()
}

#[test]
fn a_valid_file_chooses_and_orders_columns_per_table() {
    let c = parse("tables_valid.toml").unwrap();
    let t = &c.tables;
    assert_eq!(names(t, Table::LocksTree), ["pid", "query", "waited"]);
    assert_eq!(
        names(t, Table::ConnectionsGroups),
        ["total", "group", "idle_tx"]
    );
    assert_eq!(
        names(t, Table::ProgressOperations),
        ["progress", "pid", "relation"]
    );
    assert_eq!(names(t, Table::ReplicationSlots), ["slot", "retained"]);
    assert_eq!(names(t, Table::WaitsTopQueries), ["query", "aas"]);
    assert_eq!(
        names(t, Table::Tables),
        ["table", "past_threshold", "dead", "xid_age"]
    );
    assert_eq!(names(t, Table::Settings), ["name", "origin", "value"]);
    // Tables the file does not name keep every column.
    let defaults = TableColumns::default();
    for table in [
        Table::LocksList,
        Table::WaitsNow,
        Table::WaitsTopWaits,
        Table::ConnectionsIdleTx,
        Table::ProgressHorizon,
        Table::ReplicationSenders,
    ] {
        assert_eq!(t.get(table), defaults.get(table));
        assert_eq!(names(t, table), table.columns());
    }
    // Applied to the view state.
    let mut st = State::new(Duration::from_secs(1), NOW);
    c.apply(&mut st);
    assert_eq!(st.tables, c.tables);
}

#[test]
fn bad_column_lists_are_reported_with_their_line() {
    assert_eq!(
        parse("tables_invalid.toml").unwrap_err(),
        [
            "tables_invalid.toml:2: locks.tree: \"pid\" is required: it names each row",
            "tables_invalid.toml:3: locks.list: name at least one column",
            "tables_invalid.toml:6: waits.now: unknown column \"sesions\" (one of wait, sessions, share, databases, users, queries)",
            "tables_invalid.toml:7: waits.top_waits: \"wait\" is required: it names each row",
            "tables_invalid.toml:8: waits.top_queries: unknown column \"wait\" (one of aas, share, query, waits)",
            "tables_invalid.toml:11: connections.groups: \"total\" twice",
            "tables_invalid.toml:12: connections.idle_tx: unknown column \"nope\" (one of pid, user, database, application, state, idle_for, xact_age, xmin_age, query)",
            "tables_invalid.toml:15: replication.senders: unknown column \"lag\" (one of pid, application, state, sent, replay, replay_lag, history, client, sync, write, flush, write_lag, flush_lag, reply, slot, replay_lsn)",
            "tables_invalid.toml:18: tables.columns: unknown column \"deadd\" (one of table, est_size, live, dead, dead_pct, past_threshold, mods, last_vacuum, last_autovacuum, last_analyze, last_autoanalyze, seq_scan, idx_scan, seq_tup_per_s, hot_pct, xid_age, freeze_pct)",
            "tables_invalid.toml:21: settings.columns: \"name\" is required: it names each row",
        ]
    );
    assert_eq!(
        parse("tables_unknown.toml").unwrap_err(),
        [
            "tables_unknown.toml:3: unknown field `horizons`, expected one of `operations`, `horizon`, `wraparound`, `autovacuum`"
        ]
    );
}

fn shown(pane: u8, snap: Arc<Snapshot>, config: &str) -> State {
    shown_at((80, 24), pane, snap, config)
}

fn shown_at((w, h): (u16, u16), pane: u8, snap: Arc<Snapshot>, config: &str) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    Config::parse(Path::new("custom.toml"), config)
        .unwrap()
        .apply(&mut st);
    update(&mut st, Msg::Resize(w, h));
    update(&mut st, Msg::Action(Action::Pane(pane)));
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: snap,
            now: NOW,
        },
    );
    st
}

#[test]
fn locks_with_custom_columns_80x24() {
    let (backends, locks) = fixtures::locks::pile();
    let snap = fixtures::locks::with_locks(backends, Ok(locks));
    let st = shown(
        2,
        snap,
        "[locks]\ntree = [\"pid\", \"query\", \"waited\", \"user\"]\nlist = [\"object\", \"mode\", \"granted\"]\n",
    );
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn connections_with_custom_columns_80x24() {
    let st = shown(
        4,
        fixtures::connections::busy_16(),
        "[connections]\ngroups = [\"total\", \"idle_tx\", \"group\"]\nidle_tx = [\"query\", \"pid\", \"xmin_age\"]\n",
    );
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn progress_with_custom_columns_80x24() {
    let st = shown(
        6,
        progress::with(progress::progress(), 1),
        "[progress]\noperations = [\"progress\", \"pid\", \"relation\"]\nwraparound = [\"database\", \"mxid_age\", \"xid_age\"]\n",
    );
    insta::assert_snapshot!(body_of(&screen(&st, 80, 24)));
}

#[test]
fn waits_top_lists_with_custom_columns_200x50() {
    let snap = waits::with_waits(waits::backends(), waits::history("SELECT 1"));
    let mut st = shown_at(
        (200, 50),
        3,
        snap,
        "[waits]\ntop_waits = [\"share\", \"wait\"]\ntop_queries = [\"query\", \"waits\", \"share\"]\n",
    );
    // The second top query selected: the selection follows the custom layout.
    for _ in 0..=st.views.waits.groups.len() {
        update(&mut st, Msg::Action(Action::Down));
    }
    let out = screen(&st, 200, 50);
    // The query's header carries the list's title; MAIN WAITS and SHARE follow as configured.
    let head = out.lines().find(|l| l.contains("TOP QUERIES")).unwrap();
    let at = |s: &str| head.find(s).unwrap();
    assert!(
        at("TOP QUERIES (5 min) by sampled time") < at("MAIN WAITS"),
        "{head}"
    );
    assert!(at("MAIN WAITS") < at("SHARE"), "{head}");
    assert!(!head.contains("AAS"), "{head}");
    insta::assert_snapshot!(body_of(&out));
}
