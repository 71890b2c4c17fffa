//! The Tables pane from hand-made snapshots: render snapshots at 80x24 and 200x50 (capped list,
//! a table past its vacuum threshold, flagged indexes with their DROP statement), hostile
//! names neutralized, `<` `>` `r` sorting, and the selected table's indexes following the
//! selection.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fixtures;

use std::sync::Arc;
use std::time::Duration;

use fixtures::screen::{body_of, screen};
use fixtures::{NOW, SEC, busy, snapshot};
use pgscope::action::Action;
use pgscope::effect::{Done, Effect, Job};
use pgscope::panes::tables::data::ExactSize;
use pgscope::panes::tables::data::{
    IndexList, IndexRow, Meta, TableList, TableRow, Tables, Thresholds,
};
use pgscope::panes::tables::model::SortKey;
use pgscope::state::State;
use pgscope::update::{Msg, update};

fn meta() -> Meta {
    Meta {
        datname: "app".into(),
        read_at: NOW,
        block_size: 8192,
        autovacuum: true,
        track_counts: true,
        settings: Thresholds {
            vac_base: Some(50.0),
            vac_scale: Some(0.2),
            vac_max: None,
            ins_base: Some(1000.0),
            ins_scale: Some(0.2),
            anl_base: Some(50.0),
            anl_scale: Some(0.1),
        },
        freeze_max_age: 200_000_000,
        stats_reset: Some(NOW - 86_400 * SEC),
    }
}

fn table(relid: u32, name: &str, dead: i64, live: i64, pages: i64) -> TableRow {
    TableRow {
        relid,
        schema: "public".into(),
        name: name.into(),
        relkind: "r".into(),
        pages,
        dead,
        live,
        reltuples: Some(live as f64),
        seq_scan: 10,
        idx_scan: Some(1000),
        xid_age: Some(1_000_000),
        last_autovacuum: Some(NOW - 3600 * SEC),
        ..TableRow::default()
    }
}

fn index(id: u32, relid: u32, table: &str, name: &str, scans: i64) -> IndexRow {
    IndexRow {
        indexrelid: id,
        relid,
        schema: "public".into(),
        table: table.into(),
        name: name.into(),
        method: "btree".into(),
        index_ident: format!("public.{name}"),
        table_ident: format!("public.{table}"),
        pages: 128,
        scans,
        valid: true,
        ready: true,
        ..IndexRow::default()
    }
}

fn tables() -> Tables {
    let mut pkey = index(20, 1, "orders", "orders_pkey", 5000);
    pkey.primary = true;
    pkey.unique = true;
    let mut dup = index(22, 1, "orders", "orders_customer_idx2", 0);
    dup.duplicate_of = Some("orders_customer_idx".into());
    let mut invalid = index(23, 2, "events", "events_at_idx", 0);
    invalid.valid = false;
    let own = vec![
        pkey.clone(),
        index(21, 1, "orders", "orders_customer_idx", 300),
        dup.clone(),
    ];
    Tables {
        meta: Ok(meta()),
        tables: Ok(TableList {
            total: 1234,
            read_at: Some(NOW),
            rows: vec![
                table(1, "orders", 50_000, 100_000, 10_000),
                table(2, "events", 10, 2_000_000, 50_000),
                table(3, "customers", 0, 5_000, 200),
            ],
        }),
        indexes: Ok(IndexList {
            total: 4,
            rows: vec![
                pkey,
                index(21, 1, "orders", "orders_customer_idx", 300),
                dup,
                invalid,
            ],
        }),
        selected: Some(1),
        table_indexes: Some(Ok(IndexList {
            total: 3,
            rows: own,
        })),
        databases: Ok(vec!["app".into(), "postgres".into(), "shop".into()]),
    }
}

/// The read the pane gets once it asks for `relid`'s indexes.
fn selecting(relid: u32) -> Tables {
    let mut t = tables();
    let rows: Vec<IndexRow> = t
        .indexes
        .as_ref()
        .unwrap()
        .rows
        .iter()
        .filter(|i| i.relid == relid)
        .cloned()
        .collect();
    t.selected = Some(relid);
    t.table_indexes = Some(Ok(IndexList {
        total: i64::try_from(rows.len()).unwrap(),
        rows,
    }));
    t
}

fn hostile() -> Tables {
    let mut t = tables();
    if let Ok(list) = &mut t.tables {
        list.rows.push(table(
            9,
            &format!(
                "\u{1b}]0;pwned\u{7}表{}",
                "very_long_table_name_".repeat(10)
            ),
            1,
            1,
            1,
        ));
    }
    if let Ok(ix) = &mut t.indexes {
        let mut evil = index(90, 9, "x", "\u{9b}31mevil\u{202e}", 0);
        evil.index_ident = "public.\"\u{1b}[2Jevil\"".into();
        ix.rows.push(evil);
    }
    if let Ok(m) = &mut t.meta {
        m.datname = "日本\u{1b}[31m".into();
    }
    t
}

fn with(t: Tables, seq: u64) -> Arc<pgscope::snapshot::Snapshot> {
    let mut snap = (*snapshot(seq, busy())).clone();
    snap.panes.tables = Some(Ok(Box::new(t)));
    Arc::new(snap)
}

fn state(w: u16, h: u16, t: Tables) -> State {
    let mut st = State::new(Duration::from_secs(1), NOW);
    shows(&mut st, w, h, t);
    st
}

/// The pane on a `w`×`h` terminal with `t` read.
fn shows(st: &mut State, w: u16, h: u16, t: Tables) {
    update(st, Msg::Resize(w, h));
    update(st, Msg::Action(Action::Pane(8)));
    update(
        st,
        Msg::Snapshot {
            snapshot: with(t, 1),
            now: NOW,
        },
    );
}

#[test]
fn tables_80x24() {
    let st = state(80, 24, tables());
    let text = screen(&st, 80, 24);
    assert!(text.contains("showing 3 of 1234"), "{text}");
    insta::assert_snapshot!(body_of(&text));
}

#[test]
fn tables_200x50() {
    let st = state(200, 50, tables());
    let text = screen(&st, 200, 50);
    let body = body_of(&text);
    // The table past its threshold first, by default.
    assert!(body.find("public.orders").unwrap() < body.find("public.events").unwrap());
    assert!(body.contains("DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_idx2;"));
    assert!(body.contains("DROP INDEX CONCURRENTLY IF EXISTS public.events_at_idx;"));
    assert!(!body.contains("DROP INDEX CONCURRENTLY IF EXISTS public.orders_pkey"));
    assert!(body.contains("indexes of public.orders · 3"), "{body}");
    insta::assert_snapshot!(body);
}

#[test]
fn hostile_names_are_neutralized() {
    for (w, h) in [(80, 24), (200, 50)] {
        let st = state(w, h, hostile());
        let text = screen(&st, w, h);
        assert!(!text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{202e}'));
        insta::assert_snapshot!(format!("tables_hostile_{w}x{h}"), body_of(&text));
    }
}

#[test]
fn sort_keys_and_the_selected_tables_indexes() {
    let mut st = state(200, 50, tables());
    assert_eq!(st.views.tables.sort, SortKey::PastThreshold);
    assert_eq!(st.views.tables.selected, Some(1));
    // By size: events (50,000 pages) first; the selection stays on orders.
    for _ in 0..3 {
        update(&mut st, Msg::Action(Action::SortNext));
    }
    assert_eq!(st.views.tables.sort, SortKey::Size);
    assert_eq!(st.views.tables.model.rows[0].row.name, "events");
    assert_eq!(st.views.tables.selected, Some(1));
    update(&mut st, Msg::Action(Action::SortReverse));
    assert_eq!(st.views.tables.model.rows[0].row.name, "customers");
    update(&mut st, Msg::Action(Action::SortPrev));
    assert_eq!(st.views.tables.sort, SortKey::DeadPct);
    // Selecting events shows its indexes, and the selection follows the table across reads.
    st.views.tables.selected = Some(2);
    update(
        &mut st,
        Msg::Snapshot {
            snapshot: with(selecting(2), 2),
            now: NOW,
        },
    );
    assert_eq!(st.views.tables.selected, Some(2));
    let text = screen(&st, 200, 50);
    assert!(text.contains("indexes of public.events · 1"), "{text}");
}

#[test]
fn s_asks_the_control_task_and_the_answer_shows_beside_the_table() {
    let mut st = state(200, 50, tables());
    let effects = update(&mut st, Msg::Action(Action::ExactSize));
    assert_eq!(
        effects,
        vec![Effect::Control(Job::ExactSize {
            relid: 1,
            datname: None
        })]
    );
    update(
        &mut st,
        Msg::Done(Done::ExactSize {
            datname: None,
            relid: 1,
            result: Ok(ExactSize::Measured {
                table: 80 << 20,
                indexes: 3 << 20,
                total: 83 << 20,
            }),
        }),
    );
    update(
        &mut st,
        Msg::Done(Done::ExactSize {
            datname: None,
            relid: 2,
            result: Ok(ExactSize::Locked),
        }),
    );
    update(
        &mut st,
        Msg::Done(Done::ExactSize {
            datname: None,
            relid: 3,
            result: Ok(ExactSize::Gone),
        }),
    );
    let text = screen(&st, 200, 50);
    assert!(text.contains("[exact 83 MiB] public.orders"), "{text}");
    assert!(text.contains("[locked, try again] public.events"), "{text}");
    assert!(text.contains("[gone] public.customers"), "{text}");
}

/// `[tables] columns` chooses the list's columns and their order.
#[test]
fn configured_columns_show_in_their_order() {
    let mut st = State::new(Duration::from_secs(1), NOW);
    pgscope::config::Config::parse(
        std::path::Path::new("custom.toml"),
        "[tables]\ncolumns = [\"dead\", \"table\", \"xid_age\"]\n",
    )
    .unwrap()
    .apply(&mut st);
    shows(&mut st, 200, 50, tables());
    let text = screen(&st, 200, 50);
    let header = text.lines().find(|l| l.contains("TABLE")).unwrap();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["DEAD", "TABLE", "XIDAGE"]
    );
    assert!(text.contains("50000 public.orders"), "{text}");
}

/// A click on a column header ranks by its key (the next read asks the server for it), again
/// reverses; a header without a key changes nothing; a click on a table's line selects it.
#[test]
fn a_header_click_ranks_by_its_key_and_a_line_click_selects_the_table() {
    use pgscope::update::mouse::MouseInput;
    let mut st = state(200, 50, tables());
    let text = screen(&st, 200, 50);
    let (y, line) = text
        .lines()
        .enumerate()
        .find(|(_, l)| l.contains("EST.SIZE") && l.contains("DEAD"))
        .unwrap();
    let y = u16::try_from(y).unwrap();
    let at = |title: &str| u16::try_from(line.find(title).unwrap()).unwrap();
    let click = |st: &mut State, x: u16, y: u16| {
        update(st, Msg::Mouse(MouseInput::Click { x, y }));
    };
    click(&mut st, at("EST.SIZE") + 1, y);
    assert_eq!(
        (st.views.tables.sort, st.views.tables.reverse),
        (SortKey::Size, false)
    );
    assert_eq!(st.views.tables.want().ranking().0, SortKey::Size);
    click(&mut st, at("EST.SIZE") + 1, y);
    assert_eq!(
        (st.views.tables.sort, st.views.tables.reverse),
        (SortKey::Size, true)
    );
    let table_col = line.find("TABLE").unwrap();
    click(&mut st, u16::try_from(table_col).unwrap(), y);
    assert_eq!(
        (st.views.tables.sort, st.views.tables.reverse),
        (SortKey::Size, true)
    );
    let text = screen(&st, 200, 50);
    let row = text
        .lines()
        .enumerate()
        .skip(usize::from(y) + 1)
        .find(|(_, l)| l.contains("public.events"))
        .unwrap()
        .0;
    click(&mut st, 2, u16::try_from(row).unwrap());
    assert_eq!(st.views.tables.selected, Some(2));
}
