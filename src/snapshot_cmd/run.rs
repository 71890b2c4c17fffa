//! The reads: one session, the collector's reader, one view state per pane fed like the TUI's,
//! and the output written after each snapshot.

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use super::shown::Shown;
use super::{EXIT_OK, EXIT_PANE, EXIT_USAGE, csv_out, doc, json, select, text};
use crate::app::{Options, initial_state};
use crate::cli::{Format, SnapshotArgs};
use crate::collect::Session;
use crate::collect::once::Reader;
use crate::collect::rows::to_micros;
use crate::panes::Pane;
use crate::pooler::Admin;
use crate::update::{Msg, update};

/// Takes the snapshots and writes them; returns the exit status.
pub async fn run(session: Session, mut opts: Options, args: &SnapshotArgs) -> u8 {
    let panes = match select(&args.pane) {
        Ok(p) => p,
        Err(e) => return say_fail(EXIT_USAGE, &e),
    };
    let interval = opts.interval;
    // A pooler that did not answer at start-up stays configured: its pane says it is down.
    let pooler = opts.pooler.take();
    let configured = pooler.is_some();
    let admin: Option<Admin> = pooler.and_then(|p| p.first);
    let mut shown: Vec<Shown> = panes
        .iter()
        .map(|&pane| {
            let mut state = initial_state(&opts, configured, false);
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
        if let Err(e) = read_all(&mut reader, &session, &mut shown, admin.as_ref()).await {
            return say_fail(EXIT_USAGE, &e.to_string());
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
            Err(e) => return write_failed(&e),
        }
        if let Err(e) = out.flush() {
            return write_failed(&e);
        }
    }
    status
}

/// One read of every pane into its view state, as the TUI's update takes a snapshot (and the
/// pooler's read for its pane). `Err` when the connection is unusable.
pub async fn read_all(
    reader: &mut Reader,
    session: &Session,
    shown: &mut [Shown],
    admin: Option<&Admin>,
) -> Result<(), crate::failure::Failure> {
    for s in shown {
        let snapshot = Arc::new(reader.read(session, s.pane).await?);
        let now = to_micros(SystemTime::now());
        update(&mut s.state, Msg::Snapshot { snapshot, now });
        if s.pane == Pane::Pooler
            && let Some(admin) = admin
        {
            let msg = match admin.read().await {
                Ok(read) => Msg::Pooler(Arc::new(read)),
                Err(e) => Msg::PoolerLink(crate::snapshot::Link::Down {
                    cause: e.failure(),
                    retry_in: Duration::ZERO,
                }),
            };
            update(&mut s.state, msg);
        }
    }
    Ok(())
}

fn say_fail(code: u8, msg: &str) -> u8 {
    crate::terminal::say(&format!("pgscope: error: {msg}"));
    code
}

/// A reader that went away (`| head`) ends the run quietly, like other Unix tools.
fn write_failed(e: &std::io::Error) -> u8 {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        return EXIT_PANE;
    }
    say_fail(EXIT_PANE, &format!("writing the output: {e}"))
}
