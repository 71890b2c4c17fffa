//! `--format json`: one document per snapshot on one line (newline-delimited with --count > 1).

use std::io::{self, Write};

use super::doc::{Doc, Meta, RatesDoc, SCHEMA, Server};
use super::export::Panes;
use super::shown::Shown;
use super::vocab::{ErrorDoc, time, time_opt};

/// The document for the views in `shown`; `true` in the pair when a pane failed.
pub fn build(shown: &[Shown], meta: &Meta) -> (Doc, bool) {
    let mut panes = Panes::default();
    let mut failed = false;
    for s in shown {
        failed |= panes.add(s.pane, &s.state).is_some();
    }
    // The header's facts come from the first pane's view (every read carries them).
    let first = shown.first().map(|s| &s.state);
    let snapshot = first.and_then(|st| st.shown.as_deref());
    let (server, server_error) = match snapshot.map(|s| &s.server) {
        Some(Ok(info)) => (
            Some(Server {
                version: info.version.clone(),
                version_num: info.version_num,
                in_recovery: info.in_recovery,
                start_time: time(info.start_time),
                now: time(info.now),
                max_connections: info.max_connections,
            }),
            None,
        ),
        Some(Err(e)) => (None, Some(ErrorDoc::from(e))),
        None => (None, None),
    };
    let rates_over = if meta.reads_for_rates {
        Some("two reads one interval apart".to_owned())
    } else if meta.number > 1 {
        Some("since the previous snapshot".to_owned())
    } else {
        None
    };
    let rates = first.and_then(|st| st.rates).map(|r| RatesDoc {
        tps: r.tps,
        hit_ratio: r.hit_ratio,
    });
    let filter = first
        .map(|st| st.views.activity.filter.text.clone())
        .filter(|t| !t.is_empty());
    let doc = Doc {
        schema: SCHEMA,
        snapshot: meta.number,
        count: meta.count,
        interval_s: meta.interval.as_secs_f64(),
        rates_over,
        taken_at: time_opt(snapshot.map(|s| s.taken_at)).unwrap_or_default(),
        server,
        server_error,
        rates,
        filter,
        min_duration_s: first
            .and_then(|st| st.views.activity.min_duration)
            .map(|d| d.as_secs_f64()),
        panes,
    };
    (doc, failed)
}

/// Writes one document on one line; true when a pane failed.
pub fn write(out: &mut dyn Write, shown: &[Shown], meta: &Meta) -> io::Result<bool> {
    let (doc, failed) = build(shown, meta);
    serde_json::to_writer(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    Ok(failed)
}
