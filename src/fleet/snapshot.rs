//! `pgscope snapshot --fleet FILE`: the fleet table once, as text (drawn by the fleet screen's own
//! code), JSON (one document, a member per server) or CSV (a row per server). Every collector
//! reads until it has rates (two reads) or is marked unreachable, within a bounded wait.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::{Value, json};
use tokio::sync::{Notify, watch};

use super::member::Member;
use super::state::Fleet;
use super::table::{self, COLS};
use super::targets::{CONNECT_TIMEOUT, Server};
use super::task::{self, First};
use crate::cli::Format;
use crate::collect::rows::to_micros;
use crate::collect::session::DEADLINE;

/// Exit status: 0 every server read, 1 one or more unreachable (as a failed pane), 2 usage.
pub async fn run(
    servers: &[Server],
    firsts: Vec<Option<First>>,
    interval: Duration,
    format: Format,
    width: u16,
    theme: &crate::config::theme::Theme,
    keymap: &crate::keymap::Keymap,
) -> u8 {
    let (_interval_tx, interval_rx) = watch::channel(interval);
    let changed = Arc::new(Notify::new());
    let (rxs, tasks) = task::spawn_all(servers, firsts, &interval_rx, &changed);
    let latest = || {
        rxs.iter()
            .map(|r| Arc::clone(&r.borrow()))
            .collect::<Vec<_>>()
    };
    let settled = |ms: &[Arc<Member>]| {
        ms.iter()
            .all(|m| m.rates.is_some() || m.pooling().is_some() || m.down_since.is_some())
    };
    let limit = CONNECT_TIMEOUT + DEADLINE + 2 * interval;
    let _ = tokio::time::timeout(limit, async {
        while !settled(&latest()) {
            changed.notified().await;
        }
    })
    .await;
    for t in tasks {
        t.abort();
    }
    let members = latest();
    let now = to_micros(std::time::SystemTime::now());
    let mut fleet = Fleet::new(members, interval, now);
    fleet.utc_offset = chrono::Local::now().offset().local_minus_utc();
    let lines = fleet.lines();
    let mut out = io::stdout().lock();
    let written = match format {
        Format::Text => text(&mut fleet, lines.len(), width, theme, keymap, &mut out),
        Format::Json => json_doc(&fleet, &lines, now, &mut out),
        Format::Csv => csv_rows(&fleet, &lines, &mut out),
    };
    if let Err(e) = written {
        crate::terminal::say(&format!("pgscope: error: {e}"));
        return 1;
    }
    u8::from(lines.iter().any(|l| l.status.down))
}

/// The screen's title, header and lines, plain, at `width`.
fn text(
    fleet: &mut Fleet,
    n: usize,
    width: u16,
    theme: &crate::config::theme::Theme,
    keymap: &crate::keymap::Keymap,
    out: &mut dyn Write,
) -> io::Result<()> {
    let height = u16::try_from(n + 4).unwrap_or(u16::MAX);
    fleet.width = width;
    fleet.height = height;
    // No line is selected: every line is drawn alike.
    let Ok(mut term) = Terminal::new(TestBackend::new(width, height));
    if term
        .draw(|frame| super::draw::draw(frame, fleet, theme, keymap))
        .is_err()
    {
        return Ok(());
    }
    let buf = term.backend().buffer();
    for y in 0..height.saturating_sub(2) {
        let mut line = String::new();
        let mut x = 0;
        while x < width {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += u16::try_from(crate::text::width(sym).max(1)).unwrap_or(1);
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// A member's facts with their units in the names; server text as it is (JSON escapes it).
fn member_json(m: &Member, line: &table::Line) -> Value {
    let reading = m.reading();
    let load = reading.and_then(|r| r.load.as_ref().ok());
    let repl = reading.and_then(|r| r.replication.as_ref().ok());
    let secs = |us: Option<i64>| us.map(|us| us as f64 / 1e6);
    json!({
        "name": m.name,
        "group": m.group,
        "role": table::role(m),
        "cluster": m.system_id.as_ref().and_then(|r| r.as_ref().ok()),
        "level": line.status.level.word(),
        "status": line.status.text,
        "findings": super::status::findings(m).iter().map(|(l, w)| json!({"level": l.word(), "what": w})).collect::<Vec<_>>(),
        "version": reading.map(|r| r.info.version.clone()),
        "max_connections": reading.map(|r| r.info.max_connections),
        "connections": load.map(|l| l.conns),
        "active": load.map(|l| l.active),
        "idle_in_transaction": load.map(|l| l.idle_tx),
        "idle_in_transaction_oldest_s": secs(load.and_then(|l| l.idle_tx_us)),
        "lock_waits": load.map(|l| l.lock_waits),
        "lock_wait_longest_s": secs(load.and_then(|l| l.lock_wait_us)),
        "longest_query_s": secs(load.and_then(|l| l.longest_us)),
        "tps_per_s": m.rates.map(|r| r.tps),
        "hit_pct": m.rates.and_then(|r| r.hit_ratio).map(|h| h * 100.0),
        "standbys": repl.map(|s| s.standbys + s.logical),
        "worst_lag_bytes": repl.and_then(|s| s.worst_lag_bytes),
        "replay_lag_bytes": repl.and_then(|s| s.replay_lag_bytes),
        "receiver_status": repl.and_then(|s| s.receiver_status.clone()),
        "inactive_slots": repl.map(|s| s.inactive_slots),
        "inactive_slots_bytes": repl.and_then(|s| s.inactive_slots_bytes),
        "oldest_xid_age_xids": load.and_then(|l| l.xid_age),
        "xmin_horizon_age_xids": load.and_then(|l| l.xmin_age),
        "pooler": m.pooling().map(|p| json!({
            "version": p.version,
            "pools": p.pools,
            "clients_waiting": p.waiting,
            "maxwait_s": secs(p.maxwait_us),
            "server_connections": p.servers,
        })),
    })
}

fn json_doc(fleet: &Fleet, lines: &[table::Line], now: i64, out: &mut dyn Write) -> io::Result<()> {
    let servers: Vec<Value> = lines
        .iter()
        .filter_map(|l| fleet.members.get(l.member).map(|m| member_json(m, l)))
        .collect();
    let taken = chrono::DateTime::from_timestamp_micros(now)
        .map(|t| t.with_timezone(&chrono::Local).to_rfc3339());
    let doc = json!({ "schema": 1, "taken_at": taken, "servers": servers });
    writeln!(out, "{doc}")
}

/// The table's cells as the screen shows them, one row per server, text neutralized for
/// spreadsheets.
fn csv_rows(fleet: &Fleet, lines: &[table::Line], out: &mut dyn Write) -> io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let header: Vec<String> = COLS.iter().map(|c| c.title.to_lowercase()).collect();
    w.write_record(&header)?;
    for line in lines {
        let name = fleet
            .members
            .get(line.member)
            .map_or("", |m| m.name.as_str());
        let mut cells = line.cells.clone();
        name.clone_into(&mut cells[0]);
        cells[16].clone_from(&line.status.text);
        let row: Vec<String> = cells
            .iter()
            .map(|c| crate::snapshot_cmd::csv_out::neutralize(&crate::text::sanitize(c)))
            .collect();
        w.write_record(&row)?;
    }
    w.flush()
}
