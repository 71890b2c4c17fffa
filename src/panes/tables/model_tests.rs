use std::collections::HashMap;

use super::*;

fn meta() -> Meta {
    Meta {
        datname: "app".to_owned(),
        read_at: 10_000_000,
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
        stats_reset: None,
    }
}

fn table(relid: u32, name: &str, dead: i64, live: i64, reltuples: f64) -> TableRow {
    TableRow {
        relid,
        schema: "public".to_owned(),
        name: name.to_owned(),
        relkind: "r".to_owned(),
        dead,
        live,
        reltuples: Some(reltuples),
        ..TableRow::default()
    }
}

fn list(rows: Vec<TableRow>) -> TableList {
    TableList {
        total: 1000,
        read_at: Some(10_000_000),
        rows,
    }
}

#[test]
fn threshold_uses_reloptions_then_settings_and_the_max_cap() {
    let m = meta();
    let mut t = table(1, "t", 300, 700, 1000.0);
    // 50 + 0.2 × 1000 = 250: 50 past.
    let v = view(&t, &m, None, m.read_at);
    assert_eq!(v.vacuum_threshold, Some(250.0));
    assert_eq!(v.past_threshold, Some(50.0));
    assert_eq!(v.dead_pct, Some(30.0));
    // The table's own scale factor wins.
    t.options.vac_scale = Some(0.0);
    assert_eq!(view(&t, &m, None, m.read_at).past_threshold, Some(250.0));
    // 18's max threshold caps a huge table's trigger point; -1 is no cap.
    let mut big = table(2, "big", 0, 0, 1e9);
    let mut m18 = meta();
    m18.settings.vac_max = Some(100_000_000.0);
    assert_eq!(
        view(&big, &m18, None, 0).vacuum_threshold,
        Some(100_000_000.0)
    );
    big.options.vac_max = Some(-1.0);
    assert_eq!(
        view(&big, &m18, None, 0).vacuum_threshold,
        Some(200_000_050.0)
    );
}

#[test]
fn never_analyzed_counts_as_empty_and_unknown_is_not_zero() {
    let m = meta();
    let mut t = table(1, "t", 0, 0, 0.0);
    t.reltuples = None;
    let v = view(&t, &m, None, m.read_at);
    assert_eq!(v.vacuum_threshold, Some(50.0));
    assert_eq!(v.dead_pct, None);
    assert_eq!(v.hot_pct, None);
    assert_eq!(v.seq_tup_per_sec, None);
    assert_eq!(v.insert_past, None, "no insert counter before 13");
    // A server without the setting: n/a, not 0.
    let mut old = meta();
    old.settings.ins_base = None;
    t.ins_since_vacuum = Some(5000);
    assert_eq!(view(&t, &old, None, 0).insert_past, None);
    assert_eq!(view(&t, &m, None, 0).insert_past, Some(4000.0));
    old.settings.ins_base = Some(-1.0);
    assert_eq!(view(&t, &old, None, 0).insert_past, None, "-1 disables");
}

#[test]
fn autovacuum_off_by_server_reloption_or_temporary() {
    let mut m = meta();
    let mut t = table(1, "t", 0, 0, 0.0);
    assert!(view(&t, &m, None, 0).autovacuum);
    t.autovacuum_enabled = Some(false);
    assert!(!view(&t, &m, None, 0).autovacuum);
    t.autovacuum_enabled = None;
    t.temporary = true;
    assert!(!view(&t, &m, None, 0).autovacuum);
    t.temporary = false;
    m.track_counts = false;
    assert!(!view(&t, &m, None, 0).autovacuum);
}

#[test]
fn hot_pct_size_and_freeze() {
    let m = meta();
    let mut t = table(1, "t", 0, 0, 0.0);
    t.n_tup_upd = 200;
    t.n_tup_hot_upd = 150;
    t.pages = 10;
    t.toast_pages = Some(2);
    t.index_pages = None;
    t.xid_age = Some(100_000_000);
    let v = view(&t, &m, None, 0);
    assert_eq!(v.hot_pct, Some(75.0));
    assert_eq!(v.est_bytes, 12 * 8192);
    assert_eq!(v.est_table_bytes, 10 * 8192);
    assert_eq!(v.freeze_pct, Some(50.0));
}

#[test]
fn seq_rate_from_two_reads_of_the_same_database() {
    let m = meta();
    let mut t = table(7, "t", 0, 0, 0.0);
    t.seq_tup_read = 5000;
    let prev = Prev {
        datname: "app".to_owned(),
        read_at: 8_000_000,
        seq_tup_read: HashMap::from([(7, 1000)]),
    };
    // 4,000 tuples in 2 s.
    assert_eq!(
        view(&t, &m, Some(&prev), 10_000_000).seq_tup_per_sec,
        Some(2000.0)
    );
    // Another database: oids mean other tables.
    let other = Prev {
        datname: "other".to_owned(),
        ..prev.clone()
    };
    assert_eq!(view(&t, &m, Some(&other), 10_000_000).seq_tup_per_sec, None);
    // Counters reset: no negative rate.
    t.seq_tup_read = 10;
    assert_eq!(view(&t, &m, Some(&prev), 10_000_000).seq_tup_per_sec, None);
    // Same read twice: no division by zero.
    assert_eq!(view(&t, &m, Some(&prev), 8_000_000).seq_tup_per_sec, None);
}

#[test]
fn default_sort_is_dead_tuples_past_threshold() {
    let m = meta();
    // small: 100 dead, threshold 50 + 0.2×100 = 70 → 30 past.
    // large: 1000 dead, threshold 50 + 0.2×10000 = 2050 → 1050 below.
    // mid: 400 dead, threshold 250 → 150 past.
    let l = list(vec![
        table(1, "large", 1000, 9000, 10_000.0),
        table(2, "small", 100, 0, 100.0),
        table(3, "mid", 400, 600, 1000.0),
    ]);
    let model = build(&m, &l, None, SortKey::default());
    let names: Vec<_> = model.rows.iter().map(|r| r.row.name.as_str()).collect();
    assert_eq!(names, ["mid", "small", "large"]);
    assert_eq!(model.datname, "app");
    assert!(model.capped());
    let by_dead = build(&m, &l, None, SortKey::Dead);
    assert_eq!(by_dead.rows[0].row.name, "large");
    // n/a sorts last, whatever the direction of the numbers.
    let by_rate = build(&m, &l, None, SortKey::SeqRate);
    assert_eq!(
        by_rate.rows[0].row.name, "large",
        "ties fall back to dead tuples"
    );
}
