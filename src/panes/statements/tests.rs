//! Unit tests of the pure parts: rates, windows and the text policy.

use std::sync::Arc;

use super::delta::{self, Break};
use super::model::{Counters, Entry, Key, Read};
use super::texts::{self, Texts, Want};
use super::window::{History, STEP_US, Window};

const S: i64 = 1_000_000;

fn key(q: i64) -> Key {
    Key {
        userid: 10,
        dbid: 5,
        queryid: Some(q),
        toplevel: Some(true),
    }
}

fn entry(q: i64, calls: i64, exec_ms: f64) -> Entry {
    Entry {
        key: key(q),
        counters: Counters {
            calls,
            exec_ms,
            rows: calls,
            shared_hit: 9 * calls,
            shared_read: calls,
            plans: Some(0),
            plan_ms: Some(0.0),
            wal_bytes: Some(0.0),
            ..Counters::default()
        },
        stats_since: None,
        text: None,
        text_cut: false,
        hidden: 0,
    }
}

fn read(now: i64, entries: Vec<Entry>) -> Read {
    Read {
        now,
        started: 1,
        stats_reset: Some(0),
        dealloc: Some(0),
        entries,
    }
}

#[test]
fn calls_time_share_mean_and_hit_ratio_over_the_interval() {
    let prev = read(10 * S, vec![entry(1, 100, 1000.0)]);
    let cur = read(12 * S, vec![entry(1, 300, 1500.0)]);
    let span = delta::interval(&prev, &cur).unwrap();
    let r = &span.rates[0];
    assert!((span.secs - 2.0).abs() < 1e-9);
    assert!((r.calls_s - 100.0).abs() < 1e-9);
    assert!((r.exec_ms_s - 250.0).abs() < 1e-9);
    assert!((r.core_share() - 0.25).abs() < 1e-9);
    assert_eq!(r.mean_ms, Some(2.5));
    assert_eq!(r.hit_pct, Some(90.0));
    assert_eq!(r.wal_bytes_s, Some(0.0));
    assert!(!r.restarted);
    assert!((span.load_ms_s - 250.0).abs() < 1e-9);
}

#[test]
fn new_and_individually_reset_entries_count_whole_and_never_go_negative() {
    let prev = read(0, vec![entry(1, 100, 1000.0), entry(2, 50, 50.0)]);
    let cur = read(
        S,
        vec![entry(1, 3, 6.0), entry(2, 60, 60.0), entry(3, 7, 7.0)],
    );
    let span = delta::interval(&prev, &cur).unwrap();
    assert_eq!(span.restarted, 2);
    for r in &span.rates {
        assert!(r.calls_s >= 0.0 && r.exec_ms_s >= 0.0, "{r:?}");
    }
    let calls: Vec<f64> = span.rates.iter().map(|r| r.calls_s).collect();
    assert_eq!(calls, [3.0, 10.0, 7.0]);
}

#[test]
fn missing_columns_stay_unknown() {
    let mut e = entry(1, 10, 10.0);
    e.counters.wal_bytes = None;
    e.counters.plan_ms = None;
    let prev = read(0, vec![e.clone()]);
    e.counters.calls = 20;
    let span = delta::interval(&prev, &read(S, vec![e])).unwrap();
    assert_eq!(span.rates[0].wal_bytes_s, None);
    assert_eq!(span.rates[0].plan_ms_s, None);
}

#[test]
fn restart_reset_and_clock_break_the_comparison() {
    let prev = read(0, vec![entry(1, 100, 1.0)]);
    let mut cur = read(S, vec![entry(1, 101, 2.0)]);
    cur.started = 2;
    assert_eq!(delta::interval(&prev, &cur), Err(Break::Restart));
    let mut cur = read(S, vec![entry(1, 1, 1.0)]);
    cur.stats_reset = Some(S / 2);
    assert_eq!(
        delta::interval(&prev, &cur),
        Err(Break::Reset { at: Some(S / 2) })
    );
    assert_eq!(delta::interval(&prev, &read(0, vec![])), Err(Break::Clock));
}

#[test]
fn without_the_info_view_a_reset_is_inferred_from_the_counters() {
    let old = |r: Read| Read {
        stats_reset: None,
        dealloc: None,
        ..r
    };
    let prev = old(read(0, vec![entry(1, 100, 1.0), entry(2, 10, 1.0)]));
    let cur = old(read(S, vec![entry(1, 2, 0.5), entry(4, 1, 0.1)]));
    assert_eq!(delta::interval(&prev, &cur), Err(Break::ResetInferred));
    // One small entry reset alone while the rest grew: rates, with that entry counted whole.
    let cur = old(read(S, vec![entry(1, 150, 2.0), entry(2, 5, 0.5)]));
    assert!(delta::interval(&prev, &cur).is_ok());
}

#[test]
fn evictions_are_counted_and_hidden_sums_that_drop_have_no_rate() {
    let mut hidden = entry(1, 100, 100.0);
    hidden.key.queryid = None;
    hidden.hidden = 3;
    let prev = read(0, vec![hidden.clone()]);
    hidden.counters.calls = 40;
    let mut cur = read(S, vec![hidden]);
    cur.dealloc = Some(312);
    let span = delta::interval(&prev, &cur).unwrap();
    assert_eq!(span.deallocs, Some(312));
    assert_eq!(delta::evicted_entries(312, 5000), 312 * 250);
    assert_eq!(delta::evicted_entries(2, 100), 20);
    assert!(span.rates.is_empty());
}

#[test]
fn windows_start_at_a_checkpoint_old_enough_and_say_their_span() {
    let mut h = History::default();
    for minute in 0..20 {
        let calls = 60 * minute;
        h.observe(&read(minute * STEP_US, vec![entry(1, calls, calls as f64)]));
        // Refreshes between checkpoints are not kept.
        h.observe(&read(
            minute * STEP_US + S,
            vec![entry(1, calls + 1, calls as f64)],
        ));
    }
    assert_eq!(h.len(), super::window::KEEP);
    let now = 20 * STEP_US;
    let cur = read(now, vec![entry(1, 1200, 1200.0)]);
    let one = h.rates(&cur, Window::OneMinute).unwrap().unwrap();
    assert!((one.secs - 60.0).abs() < 1e-9);
    assert!((one.rates[0].calls_s - 1.0).abs() < 1e-9);
    let fifteen = h.rates(&cur, Window::FifteenMinutes).unwrap().unwrap();
    assert!((fifteen.secs - 900.0).abs() < 1e-9);
    // A reset empties the history: the next window starts over.
    let mut after = read(now + S, vec![entry(1, 1, 1.0)]);
    after.stats_reset = Some(now);
    h.observe(&after);
    assert_eq!(h.len(), 1);
    assert!(h.rates(&after, Window::FiveMinutes).is_none());
}

#[test]
fn texts_are_read_at_once_then_rarely_and_forgotten_with_their_entry() {
    let mut t = Texts::default();
    assert_eq!(t.due(None, None), Want::All);
    // A read with texts: entry 1's came, entry 2's did not (it was hidden, say).
    let mut with_text = entry(1, 1, 1.0);
    with_text.text = Some(Arc::from("SELECT 1"));
    let mut first = read(0, vec![with_text, entry(2, 1, 1.0)]);
    t.keep(&first);
    t.attach(&mut first);
    assert_eq!(t.due(None, Some(&first)), Want::Nothing, "just read");
    let mut plain = read(S, vec![entry(1, 2, 2.0), entry(2, 2, 2.0)]);
    t.attach(&mut plain);
    assert_eq!(plain.entries[0].text.as_deref(), Some("SELECT 1"));
    assert_eq!(t.due(Some(&first), Some(&plain)), Want::Nothing, "too soon");
    // Two seconds on, entry 2 is among the busiest and still lacks its text.
    let later = read(texts::SOON_US, plain.entries.clone());
    assert_eq!(t.due(Some(&plain), Some(&later)), Want::Some(vec![2]));
    // Entry 1 left pg_stat_statements: its text goes with it.
    let mut gone = read(3 * S, vec![entry(2, 3, 3.0)]);
    t.attach(&mut gone);
    assert!(t.is_empty());
}
