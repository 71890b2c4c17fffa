//! The wait sampler's client cost per sample at 5,000 sessions in flight: recording one sample
//! into the history (classify, intern, count), and the summary shipped per refresh.

use divan::Bencher;
use pgscope::collect::history::{History, SampleRow};

fn main() {
    divan::main();
}

/// `n` sessions: a tenth in distinct query shapes, the rest in 50 common ones; mixed waits.
fn rows(n: usize) -> Vec<SampleRow> {
    let waits = [
        None,
        Some(("Lock", "transactionid")),
        Some(("IO", "DataFileRead")),
        Some(("LWLock", "WALWrite")),
    ];
    (0..n)
        .map(|i| {
            let w = waits[i % waits.len()];
            let shape = if i % 10 == 0 { i } else { i % 50 };
            SampleRow {
                state: Some("active".into()),
                wait_event_type: w.map(|w| w.0.to_owned()),
                wait_event: w.map(|w| w.1.to_owned()),
                datname: Some("shop".into()),
                usename: Some("app".into()),
                query: format!("SELECT * FROM t{shape} WHERE id = {i} AND status = 'open'"),
                query_id: None,
            }
        })
        .collect()
}

#[divan::bench(args = [5_000])]
fn record_one_sample(bencher: Bencher, n: usize) {
    let sample = rows(n);
    let mut h = History::new(900);
    let mut at = 0;
    bencher.bench_local(|| {
        at += 1;
        h.record(at / 10, &sample);
    });
}

#[divan::bench(args = [5_000])]
fn summary_of_a_full_window(bencher: Bencher, n: usize) {
    let sample = rows(n);
    let mut h = History::new(900);
    for s in 0..900 {
        h.record(s, &sample);
    }
    bencher.bench_local(|| h.summary(899));
}
