//! The reads: one session, the collector's reader, one view state per pane fed like the TUI's,
//! and the output written after each snapshot.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::{EXIT_OK, EXIT_PANE, EXIT_USAGE, csv_out, doc, json, select, text};
use crate::app::{Options, initial_state};
use crate::cli::{Format, SnapshotArgs};
use crate::collect::Session;
use crate::collect::once::Reader;
use crate::collect::rows::to_micros;
use crate::panes::Pane;
use crate::pooler::Admin;
use crate::state::State;
use crate::update::{Msg, update};

/// One pane's view state, fed every read of that pane.
pub struct Shown {
    pub pane: Pane,
    pub state: State,
}

/// Takes the snapshots and writes them; returns the exit status.
pub async fn run(session: Session, mut opts: Options, args: &SnapshotArgs) -> u8 {
    let panes = match select(&args.pane) {
        Ok(p) => p,
        Err(e) => return say_fail(EXIT_USAGE, &e),
    };
    let interval = opts.interval;
    let pooler = opts.pooler.take();
    let admin: Option<Admin> = pooler.and_then(|p| p.first);
    let configured = admin.is_some();
    let mut shown: Vec<Shown> = panes
        .iter()
        .map(|&pane| {
            let mut state = initial_state(&opts, configured);
            state.pane = pane;
            Shown { pane, state }
        })
        .collect();
    let width = text::width(args.width);
    for s in &mut shown {
        update(&mut s.state, Msg::Resize(width, text::START_HEIGHT));
    }
    let mut reader = Reader::new(opts.sampler, interval);
    // With --count 1 a first read gives the rates a start; it is not printed.
    let reads = if args.count == 1 { 2 } else { args.count };
    let mut out = std::io::stdout().lock();
    let mut status = EXIT_OK;
    let mut next = Instant::now();
    for n in 0..reads {
        if n > 0
            && let Err(e) = reader.wait(&session, next).await
        {
            return say_fail(EXIT_USAGE, &e.to_string());
        }
        next = Instant::now() + interval;
        for s in &mut shown {
            let snapshot = match reader.read(&session, s.pane).await {
                Ok(snapshot) => snapshot,
                Err(e) => return say_fail(EXIT_USAGE, &e.to_string()),
            };
            let now = to_micros(SystemTime::now());
            let snapshot = Arc::new(snapshot);
            update(&mut s.state, Msg::Snapshot { snapshot, now });
            if s.pane == Pane::Pooler
                && let Some(admin) = &admin
            {
                match admin.read().await {
                    Ok(read) => update(&mut s.state, Msg::Pooler(Arc::new(read))),
                    Err(e) => {
                        let link = crate::snapshot::Link::Down {
                            cause: e.failure(),
                            retry_in: Duration::ZERO,
                        };
                        update(&mut s.state, Msg::PoolerLink(link))
                    }
                };
            }
        }
        if args.count == 1 && n == 0 {
            continue;
        }
        let meta = doc::Meta {
            number: if args.count == 1 { 1 } else { n + 1 },
            count: args.count,
            reads_for_rates: args.count == 1,
            interval,
        };
        let written = match args.format {
            Format::Text => text::write(&mut out, &mut shown, &meta, width),
            Format::Json => json::write(&mut out, &shown, &meta),
            Format::Csv => csv_out::write(&mut out, &shown, args.output_dir.as_deref(), &meta),
        };
        match written {
            Ok(failed) => {
                if failed {
                    status = EXIT_PANE;
                }
            }
            Err(e) => return say_fail(EXIT_PANE, &format!("writing the output: {e}")),
        }
        if let Err(e) = out.flush() {
            return say_fail(EXIT_PANE, &format!("writing the output: {e}"));
        }
    }
    status
}

fn say_fail(code: u8, msg: &str) -> u8 {
    crate::terminal::say(&format!("pgscope: error: {msg}"));
    code
}
