//! The Statements pane's client work per refresh at 10,000 entries: rates over the interval
//! and over a 15-minute window, each followed by the sort the pane shows (budget: 5 ms with
//! the frame), and the memory the pane holds for 10,000 entries with their texts (budget:
//! 30 MB): allocations counted by divan's profiler while building all of it.

use std::sync::Arc;

use divan::{AllocProfiler, Bencher};
use pgscope::panes::statements::delta::{self, Rate};
use pgscope::panes::statements::texts::Texts;
use pgscope::panes::statements::window::{History, STEP_US, Window};
use pgscope::panes::statements::{Counters, Entry, Key, Read};

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    divan::main();
}

const N: usize = 10_000;

/// A text of about 430 characters, like the server benchmark's (and many real ones).
fn text(i: usize) -> Arc<str> {
    let pad = "lorem ipsum dolor sit amet ".repeat(14);
    Arc::from(format!(
        "SELECT c{}, c{} FROM t{} WHERE c0 = $1 AND c{} > $2 /* {pad} */",
        i % 100,
        (i + 1) % 100,
        i / 100,
        i % 100
    ))
}

/// `n` entries at refresh `tick`: each statement grows by its own rate.
fn read(n: usize, tick: i64, texts: &[Arc<str>]) -> Read {
    let entries = (0..n)
        .map(|i| {
            let w = (i % 97) as i64 + 1;
            let calls = 1_000 * w + tick * w;
            Entry {
                key: Key {
                    userid: 10 + (i % 3) as u32,
                    dbid: 5,
                    queryid: Some(0x5eed_0000_0000 + i as i64 * 7_919),
                    toplevel: Some(true),
                },
                counters: Counters {
                    calls,
                    exec_ms: calls as f64 * 0.37,
                    plans: Some(calls),
                    plan_ms: Some(calls as f64 * 0.01),
                    rows: calls * 3,
                    shared_hit: calls * 40,
                    shared_read: calls,
                    temp_written: 0,
                    wal_bytes: Some(calls as f64 * 120.0),
                    io_read_ms: 0.0,
                    io_write_ms: 0.0,
                },
                stats_since: None,
                text: texts.get(i).cloned(),
                text_cut: false,
                hidden: 0,
            }
        })
        .collect();
    Read {
        now: tick * 1_000_000,
        started: 1,
        stats_reset: Some(0),
        dealloc: Some(0),
        entries,
    }
}

fn by_time(rates: &mut [Rate]) {
    rates.sort_unstable_by(|a, b| b.exec_ms_s.total_cmp(&a.exec_ms_s));
}

#[divan::bench]
fn interval_rates_and_sort(bencher: Bencher) {
    let texts: Vec<_> = (0..N).map(text).collect();
    let prev = read(N, 100, &texts);
    let cur = read(N, 101, &texts);
    bencher.bench_local(|| {
        let mut span = delta::interval(&prev, &cur).ok();
        if let Some(s) = span.as_mut() {
            by_time(&mut s.rates);
        }
        span
    });
}

#[divan::bench]
fn window_rates_and_sort(bencher: Bencher) {
    let texts: Vec<_> = (0..N).map(text).collect();
    let mut h = History::default();
    for m in 0..16 {
        h.observe(&read(N, m * STEP_US / 1_000_000, &texts));
    }
    let cur = read(N, 16 * STEP_US / 1_000_000, &texts);
    bencher.bench_local(|| {
        let mut span = h.rates(&cur, Window::FifteenMinutes).and_then(Result::ok);
        if let Some(s) = span.as_mut() {
            by_time(&mut s.rates);
        }
        span
    });
}

/// Everything the pane keeps for 10,000 entries: the text cache, the last two reads (with
/// their texts shared) and sixteen minute checkpoints. Divan's "alloc" bytes for this bench is
/// the memory figure (an upper bound: temporaries are counted too).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn memory_of_10000_entries_with_texts(bencher: Bencher) {
    bencher.bench_local(|| {
        // The first read of a connection comes with every text.
        let texts: Vec<_> = (0..N).map(text).collect();
        let mut prev = read(N, 0, &texts);
        drop(texts);
        let mut cache = Texts::default();
        cache.keep(&prev);
        cache.attach(&mut prev);
        let mut h = History::default();
        for m in 0..16 {
            let mut r = read(N, m * STEP_US / 1_000_000, &[]);
            cache.attach(&mut r);
            h.observe(&r);
            prev = r;
        }
        let mut cur = read(N, 16 * STEP_US / 1_000_000 + 1, &[]);
        cache.attach(&mut cur);
        (cache, h, prev, cur)
    });
}
