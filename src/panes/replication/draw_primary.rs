//! The Replication pane's sending side (a primary, or a cascading standby): WAL senders with a
//! lag sparkline each, slots with inactive ones retaining WAL highlighted, and logical
//! subscriptions and publications.

use std::collections::VecDeque;
use std::fmt::Write as _;

use ratatui::style::Style;

use super::columns::{SENDERS, SLOTS, SUBS};
use super::draw_sections::{
    Ctx, Section, ago, bytes, error_lines, header, lag, layout, line, longest, named_layout,
    sparkline, title,
};
use crate::panes::replication::data::{Replication, Sender, Slot, Subscription};
use crate::panes::replication::view::RowKey;
use crate::state::tables::Table;
use crate::text::sanitize;




pub(super) fn senders_section<'a>(ctx: &Ctx, r: &Replication, w: u16, hidden: bool) -> Section<'a> {
    let lay = layout(&SENDERS, ctx.state.tables.get(Table::ReplicationSenders), w);
    let theme = ctx.theme;
    let spark = lay
        .iter()
        .find(|(i, _)| SENDERS[*i].title == "HISTORY")
        .map_or(0, |&(_, w)| w);
    let mut focus = None;
    let (mut rest, rows) = match &r.senders {
        Err(e) => (String::new(), error_lines("senders", e, ctx)),
        Ok(list) => {
            let rows = list
                .iter()
                .enumerate()
                .map(|(n, s)| {
                    let selected = ctx.state.views.replication.is_selected(&RowKey::Sender(s.pid));
                    if selected {
                        focus = Some(n);
                    }
                    let history = ctx.state.views.replication.history.get(&s.history_key());
                    let base = if selected { theme.selection } else { theme.row };
                    line(
                        &SENDERS,
                        &lay,
                        &sender_cells(s, history, spark, ctx.now),
                        base,
                    )
                })
                .collect();
            (
                format!("{} · bytes behind the current WAL position", list.len()),
                rows,
            )
        }
    };
    if hidden {
        let _ = write!(
            rest,
            " · other users' senders show n/a: GRANT pg_monitor TO {}",
            sanitize(ctx.login)
        );
    }
    Section {
        head: vec![
            title("WAL SENDERS", rest, theme),
            header(&SENDERS, &lay, theme.table_header),
        ],
        rows,
        focus,
    }
}

pub(super) fn sender_cells(
    s: &Sender,
    history: Option<&VecDeque<i64>>,
    spark: usize,
    now: i64,
) -> Vec<(String, Option<Style>)> {
    let text = |t: &Option<String>| t.clone().unwrap_or_else(|| "n/a".to_owned());
    let sync = match (&s.sync_state, s.sync_priority) {
        (Some(st), Some(p)) if p > 0 => format!("{st} ({p})"),
        (Some(st), _) => st.clone(),
        _ => "n/a".to_owned(),
    };
    let line = history.map_or_else(String::new, |h| sparkline(h.iter(), spark));
    let kind = if s.is_logical() { " (logical)" } else { "" };
    vec![
        (s.pid.to_string(), None),
        (format!("{}{kind}", text(&s.application_name)), None),
        (text(&s.state), None),
        (bytes(s.sent_bytes), None),
        (bytes(s.replay_bytes), None),
        (lag(s.replay_lag), None),
        (line, None),
        (
            s.client.clone().unwrap_or_else(|| "[local]".to_owned()),
            None,
        ),
        (sync, None),
        (bytes(s.write_bytes), None),
        (bytes(s.flush_bytes), None),
        (lag(s.write_lag), None),
        (lag(s.flush_lag), None),
        (ago(s.reply_time, now), None),
        (s.slot_name.clone().unwrap_or_else(|| "-".to_owned()), None),
        (text(&s.replay_lsn), None),
    ]
}

pub(super) fn slots_section<'a>(ctx: &Ctx, r: &Replication, w: u16) -> Section<'a> {
    let names = r.slots.iter().flat_map(|s| s.slots.iter().map(|s| s.name.as_str()));
    let lay = named_layout(
        &SLOTS,
        ctx.state.tables.get(Table::ReplicationSlots),
        w,
        longest(names),
    );
    let theme = ctx.theme;
    let mut focus = None;
    let (rest, rows) = match &r.slots {
        Err(e) => (String::new(), error_lines("slots", e, ctx)),
        Ok(slots) => {
            let idle = slots
                .slots
                .iter()
                .filter(|s| s.retains_while_inactive())
                .count();
            let mut rest = format!("{} of {}", slots.slots.len(), slots.total);
            if idle > 0 {
                let _ = write!(
                    rest,
                    " · {idle} inactive retaining WAL (it piles up until dropped)"
                );
            }
            let rows = slots
                .slots
                .iter()
                .enumerate()
                .map(|(n, s)| {
                    let selected = ctx
                        .state
                        .views
                        .replication
                        .is_selected(&RowKey::Slot(s.name.clone()));
                    if selected {
                        focus = Some(n);
                    }
                    let style = if s.is_lost() {
                        theme.danger
                    } else if s.retains_while_inactive() {
                        theme.warning
                    } else {
                        theme.row
                    };
                    let base = if selected { theme.selection } else { style };
                    line(&SLOTS, &lay, &slot_cells(s, ctx), base)
                })
                .collect();
            (rest, rows)
        }
    };
    Section {
        head: vec![
            title("SLOTS", rest, theme),
            header(&SLOTS, &lay, theme.table_header),
        ],
        rows,
        focus,
    }
}

pub(super) fn slot_cells(s: &Slot, ctx: &Ctx) -> Vec<(String, Option<Style>)> {
    let na = "n/a".to_owned();
    let since = |v: i32| ctx.version >= v;
    let active = match (s.active, s.active_pid) {
        (true, Some(pid)) => pid.to_string(),
        (true, None) => "yes".to_owned(),
        (false, _) => "no".to_owned(),
    };
    let safe = if !since(130_000) {
        na.clone()
    } else if s.wal_status.as_deref() == Some("lost") {
        "-".to_owned()
    } else {
        s.safe_wal_size
            .map_or_else(|| "no limit".to_owned(), |b| bytes(Some(b)))
    };
    let age = |a: Option<i64>| a.map_or_else(|| "-".to_owned(), |a| a.to_string());
    let idle = if since(170_000) {
        s.inactive_since
            .map_or_else(|| "-".to_owned(), |t| ago(Some(t), ctx.now))
    } else {
        na.clone()
    };
    let invalidated = match (&s.invalidation_reason, s.conflicting) {
        (Some(reason), _) => reason.clone(),
        (None, Some(true)) => "conflicting".to_owned(),
        (None, Some(false)) => "-".to_owned(),
        (None, None) if since(160_000) => "-".to_owned(),
        (None, None) => na.clone(),
    };
    let temp = if s.temporary { " temp" } else { "" };
    vec![
        (s.name.clone(), None),
        (format!("{}{temp}", s.slot_type), None),
        (active, None),
        (bytes(s.retained_bytes), None),
        (
            if since(130_000) {
                s.wal_status.clone().unwrap_or_else(|| "-".to_owned())
            } else {
                na.clone()
            },
            None,
        ),
        (safe, None),
        (age(s.xmin_age), None),
        (age(s.catalog_xmin_age), None),
        (s.datname.clone().unwrap_or_else(|| "-".to_owned()), None),
        (s.plugin.clone().unwrap_or_else(|| "-".to_owned()), None),
        (idle, None),
        (invalidated, None),
        (
            s.restart_lsn.clone().unwrap_or_else(|| "-".to_owned()),
            None,
        ),
    ]
}

pub(super) fn logical_section<'a>(ctx: &Ctx, r: &Replication, w: u16) -> Section<'a> {
    let names = r.subscriptions.iter().flatten().map(|s| s.name.as_str());
    let lay = named_layout(
        &SUBS,
        ctx.state.tables.get(Table::ReplicationSubscriptions),
        w,
        longest(names),
    );
    let theme = ctx.theme;
    let mut focus = None;
    let pubs = match &r.publications {
        Err(e) => format!("publications: {}", sanitize(&e.to_string())),
        Ok(p) if p.is_empty() => "no publications in this database".to_owned(),
        Ok(p) => {
            let names: Vec<String> = p
                .iter()
                .map(|p| {
                    let what = if p.all_tables {
                        "all tables".to_owned()
                    } else {
                        format!("{} table{}", p.tables, if p.tables == 1 { "" } else { "s" })
                    };
                    format!("{} ({what})", sanitize(&p.name))
                })
                .collect();
            format!("publications here: {}", names.join(", "))
        }
    };
    let (rest, rows) = match &r.subscriptions {
        Err(e) => (pubs, error_lines("subscriptions", e, ctx)),
        Ok(subs) => {
            let rows = subs
                .iter()
                .enumerate()
                .map(|(n, s)| {
                    let key = RowKey::Subscription(s.name.clone());
                    let selected = ctx.state.views.replication.is_selected(&key);
                    if selected {
                        focus = Some(n);
                    }
                    let style = if s.enabled && s.pid.is_none() && !ctx.standby {
                        theme.warning
                    } else {
                        theme.row
                    };
                    let base = if selected { theme.selection } else { style };
                    line(&SUBS, &lay, &sub_cells(s, ctx), base)
                })
                .collect();
            (format!("{} subscriptions · {pubs}", subs.len()), rows)
        }
    };
    Section {
        head: vec![
            title("LOGICAL", rest, theme),
            header(&SUBS, &lay, theme.table_header),
        ],
        rows,
        focus,
    }
}

pub(super) fn sub_cells(s: &Subscription, ctx: &Ctx) -> Vec<(String, Option<Style>)> {
    let errors = if ctx.version < 150_000 {
        "n/a".to_owned()
    } else {
        format!(
            "{}/{}",
            s.apply_errors.unwrap_or(0),
            s.sync_errors.unwrap_or(0)
        )
    };
    vec![
        (s.name.clone(), None),
        (s.datname.clone().unwrap_or_else(|| "-".to_owned()), None),
        ((if s.enabled { "yes" } else { "no" }).to_owned(), None),
        (
            s.pid.map_or_else(|| "-".to_owned(), |p| p.to_string()),
            None,
        ),
        (
            s.received_lsn.clone().unwrap_or_else(|| "-".to_owned()),
            None,
        ),
        (ago(s.last_msg_receipt_time, ctx.now), None),
        (errors, None),
        (s.syncing.to_string(), None),
        (
            s.latest_end_lsn.clone().unwrap_or_else(|| "-".to_owned()),
            None,
        ),
        (s.publications.clone(), None),
    ]
}
