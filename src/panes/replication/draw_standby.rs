//! The Replication pane's standby side: the WAL receiver, how far replay trails, and the
//! queries recovery conflicts cancelled.

use ratatui::text::{Line, Span};

use super::columns::CONFLICTS;
use super::draw_sections::{
    Ctx, Section, ago, bytes, error_lines, header, line, longest, named_layout, title,
};
use crate::config::theme::Theme;
use crate::snapshot::PaneError;
use crate::panes::replication::data::{Conflicts, ReplayDelay, Receiver};
use crate::state::tables::Table;
use crate::text::{duration_us, sanitize};


pub(super) fn receiver_section<'a>(ctx: &Ctx, rc: &Result<Receiver, PaneError>) -> Section<'a> {
    let theme = ctx.theme;
    let head = vec![title(
        "WAL RECEIVER",
        "this server is a standby".into(),
        theme,
    )];
    let rows = match rc {
        Err(e) => error_lines("receiver", e, ctx),
        Ok(rc) => receiver_lines(rc, theme),
    };
    Section {
        head,
        rows,
        focus: None,
    }
}

pub(super) fn receiver_lines<'a>(rc: &Receiver, theme: &Theme) -> Vec<Line<'a>> {
    let now = rc.now;
    let first = match (&rc.status, rc.pid) {
        (Some(status), Some(pid)) => {
            let host = rc.sender_host.as_deref().map_or("?".into(), sanitize);
            let port = rc.sender_port.map_or("?".into(), |p| p.to_string());
            let slot = rc.slot_name.as_deref().map_or("none".into(), sanitize);
            let tl = rc.timeline.map_or("?".into(), |t| t.to_string());
            let style = (status != "streaming").then_some(theme.warning);
            Line::styled(
                format!(
                    "{} from {host}:{port} · slot {slot} · timeline {tl} · pid {pid}",
                    sanitize(status)
                ),
                style.unwrap_or(theme.row),
            )
        }
        _ => Line::styled(
            "no WAL receiver: not streaming (archive recovery, or primary unreachable)",
            theme.danger,
        ),
    };
    let lag_style = match rc.replay_bytes {
        Some(b) if b > 16 << 20 => theme.warning,
        _ => theme.row,
    };
    let paused = match rc.paused {
        Some(true) => Span::styled("replay PAUSED", theme.danger),
        Some(false) => Span::styled("replay running", theme.row),
        None => Span::styled("replay n/a", theme.row),
    };
    let second = Line::from(vec![
        Span::styled(
            format!("replay lag {} · ", bytes(rc.replay_bytes)),
            lag_style,
        ),
        paused,
        Span::styled(
            format!(
                " · hot_standby_feedback {}",
                if rc.hot_standby_feedback { "on" } else { "off" }
            ),
            theme.row,
        ),
    ]);
    // `now - last replayed commit` is a delay only while there is something to replay: on an
    // idle primary it grows with nothing behind.
    let delay = match (ReplayDelay::of(rc.replay_bytes, rc.last_replay, now), rc.last_replay) {
        (ReplayDelay::CaughtUp, Some(t)) => format!(
            "caught up · last commit replayed {} ago (the primary may be idle)",
            ago(Some(t), now)
        ),
        (ReplayDelay::CaughtUp, None) => "caught up · no transaction replayed yet".to_owned(),
        (ReplayDelay::Behind(us), _) => format!(
            "replay delay {} (now − last replayed commit)",
            duration_us(us)
        ),
        (ReplayDelay::Unknown, Some(_)) => "replay delay n/a (no receive position)".to_owned(),
        (ReplayDelay::Unknown, None) => "no transaction replayed yet".to_owned(),
    };
    let lsn = |l: &Option<String>| {
        l.as_deref()
            .map_or("n/a".into(), |l| sanitize(l).into_owned())
    };
    let fourth = format!(
        "received {} · replayed {} · last message {} ago",
        lsn(&rc.receive_lsn),
        lsn(&rc.replay_lsn),
        ago(rc.last_msg_receipt_time, now),
    );
    vec![
        first,
        second,
        Line::styled(delay, theme.row),
        Line::styled(fourth, theme.row),
    ]
}

pub(super) fn conflicts_section<'a>(
    ctx: &Ctx,
    conflicts: &Result<Vec<Conflicts>, PaneError>,
    w: u16,
) -> Section<'a> {
    let names = conflicts.iter().flatten().map(|c| c.datname.as_str());
    let lay = named_layout(
        &CONFLICTS,
        ctx.state.tables.get(Table::ReplicationConflicts),
        w,
        longest(names),
    );
    let theme = ctx.theme;
    let (rest, rows) = match conflicts {
        Err(e) => (String::new(), error_lines("conflicts", e, ctx)),
        Ok(list) => {
            let hit: Vec<&Conflicts> = list.iter().filter(|c| c.total() > 0).collect();
            let total: i64 = hit.iter().map(|c| c.total()).sum();
            let logical = |c: &Conflicts| {
                if ctx.version < 160_000 {
                    "n/a".to_owned()
                } else {
                    c.logicalslot.unwrap_or(0).to_string()
                }
            };
            let rows = hit
                .iter()
                .map(|c| {
                    let cells = [
                        (c.datname.clone(), None),
                        (c.snapshot.to_string(), None),
                        (c.lock.to_string(), None),
                        (c.bufferpin.to_string(), None),
                        (c.deadlock.to_string(), None),
                        (c.tablespace.to_string(), None),
                        (logical(c), None),
                    ];
                    line(&CONFLICTS, &lay, &cells, theme.warning)
                })
                .collect();
            (format!("{total} queries cancelled by recovery"), rows)
        }
    };
    Section {
        head: vec![
            title("RECOVERY CONFLICTS", rest, theme),
            header(&CONFLICTS, &lay, theme.table_header),
        ],
        rows,
        focus: None,
    }
}
