//! What the header says, as items: each with its kind, which decides whether it may drop when
//! the width is short ([`DROP_ORDER`]), its group (the server, or the sessions and the data's
//! age) and its spans. Reads the state only.

use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::Span;

use crate::config::theme::Theme;
use crate::snapshot::{Link, Micros};
use crate::state::State;
use crate::text::{duration_us, sanitize};
use crate::ui::fit::KEEP;

/// What the header can show. The order of [`DROP_ORDER`] is the rule for a narrow screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Name,
    Version,
    Role,
    Transport,
    Replication,
    /// `standbys 0` on a primary without standbys, subscribers or idle slots: nothing to watch.
    NoStandbys,
    Uptime,
    Conns,
    Tps,
    Hit,
    Active,
    Idle,
    IdleTx,
    LockWaits,
    Updated,
    Every,
    /// Whatever signals trouble: an error instead of figures, STALE, PAUSED, a lost link, a
    /// connection that travels unprotected, refreshes paced down.
    Trouble,
    /// The pooler's link while it is fine (ok, connecting); STALE or down is trouble.
    Pooler,
}

/// The kinds that may drop when the width is short, first to drop first. Every other kind
/// (role, connections used, replication lag, lock waits, the data's age, trouble) never drops.
pub const DROP_ORDER: [Kind; 12] = [
    Kind::Name,
    Kind::NoStandbys,
    Kind::Pooler,
    Kind::Hit,
    Kind::Uptime,
    Kind::Version,
    Kind::Idle,
    Kind::Every,
    Kind::Transport,
    Kind::Tps,
    Kind::Active,
    Kind::IdleTx,
];

impl Kind {
    pub fn rank(self) -> u8 {
        DROP_ORDER
            .iter()
            .position(|k| *k == self)
            .and_then(|p| u8::try_from(p).ok())
            .unwrap_or(KEEP)
    }
}

/// One item of the header: what it is, its group (0: the server, 1: the sessions and the
/// data's age), the separator before it on a line, and its spans.
pub struct Item<'a> {
    pub kind: Kind,
    pub group: u8,
    pub sep: &'static str,
    pub spans: Vec<Span<'a>>,
}

const DOT: &str = " · ";

fn item(kind: Kind, group: u8, spans: Vec<Span<'_>>) -> Item<'_> {
    Item {
        kind,
        group,
        sep: DOT,
        spans,
    }
}

fn pair<'a>(
    kind: Kind,
    label: &'a str,
    value: String,
    theme: &Theme,
    style: Option<Style>,
) -> Item<'a> {
    item(
        kind,
        0,
        vec![
            Span::styled(label, theme.header_label),
            Span::styled(value, style.unwrap_or(theme.header_value)),
        ],
    )
}

/// Every item the state has to say, in display order.
pub fn items<'a>(state: &'a State, theme: &Theme) -> Vec<Item<'a>> {
    let mut items = server_items(state, theme);
    let mut load = load_items(state, theme);
    for i in &mut load {
        i.group = 1;
    }
    items.append(&mut load);
    items
}

fn server_items<'a>(state: &'a State, theme: &Theme) -> Vec<Item<'a>> {
    let mut items = vec![item(
        Kind::Name,
        0,
        vec![Span::styled("pgscope", theme.header_value)],
    )];
    let server = state.shown.as_deref().map(|s| &s.server);
    match server {
        Some(Ok(info)) => {
            let role = if info.in_recovery {
                "STANDBY"
            } else {
                "PRIMARY"
            };
            let version = sanitize(info.version.split_whitespace().next().unwrap_or("?"));
            let mut version = pair(Kind::Version, "PG ", version.into_owned(), theme, None);
            // "pgscope PG 16.4": the name and the version read as one.
            version.sep = " ";
            items.push(version);
            items.push(item(
                Kind::Role,
                0,
                vec![Span::styled(role, theme.header_value)],
            ));
            items.extend(transport(state, theme));
            let mut lag = crate::panes::replication::draw::header_spans(state, theme);
            if !lag.is_empty() {
                // Its leading separator is the header's to draw.
                lag.remove(0);
                let quiet = state
                    .shown
                    .as_deref()
                    .and_then(crate::panes::replication::layout::summary_of)
                    .is_some_and(|r| {
                        !r.in_recovery && r.standbys + r.logical == 0 && r.inactive_slots == 0
                    });
                let kind = if quiet {
                    Kind::NoStandbys
                } else {
                    Kind::Replication
                };
                items.push(item(kind, 0, lag));
            }
            items.push(pair(
                Kind::Uptime,
                "up ",
                duration_us(info.now - info.start_time),
                theme,
                None,
            ));
            let used = crate::slots::used(state.backends());
            let style = match state.thresholds.level(used, info.max_connections) {
                crate::slots::Level::Danger => Some(theme.danger),
                crate::slots::Level::Warning => Some(theme.warning),
                crate::slots::Level::Normal => None,
            };
            items.push(pair(
                Kind::Conns,
                "conns ",
                format!("{used}/{}", info.max_connections),
                theme,
                style,
            ));
            let (tps, hit) = match state.rates {
                Some(r) => (
                    format!("{:.1}", r.tps),
                    r.hit_ratio
                        .map_or_else(|| "n/a".to_owned(), |h| format!("{:.2}%", h * 100.0)),
                ),
                None => ("…".to_owned(), "…".to_owned()),
            };
            items.push(pair(Kind::Tps, "tps ", tps, theme, None));
            items.push(pair(Kind::Hit, "hit ", hit, theme, None));
        }
        Some(Err(e)) => items.push(item(
            Kind::Trouble,
            0,
            vec![Span::styled(
                format!("server info: {}", sanitize(&e.to_string())),
                theme.error,
            )],
        )),
        None if state.views.pooler.only => items.push(item(
            Kind::Role,
            0,
            vec![Span::styled("PgBouncer admin console", theme.header)],
        )),
        None => items.push(item(
            Kind::Trouble,
            0,
            vec![Span::styled("connecting…", theme.header)],
        )),
    }
    items
}

/// `pooler ok | connecting… | STALE | down: …`: trouble when STALE or down, else among the
/// first to drop.
fn pooler_item<'a>(state: &State, theme: &Theme) -> Option<Item<'a>> {
    let (word, bad) = crate::panes::pooler::draw_status::link_word(state)?;
    let (kind, style) = if bad {
        (Kind::Trouble, theme.stale)
    } else {
        (Kind::Pooler, theme.header_value)
    };
    Some(item(
        kind,
        1,
        vec![
            Span::styled("pooler ", theme.header_label),
            Span::styled(word, style),
        ],
    ))
}

fn load_items<'a>(state: &'a State, theme: &Theme) -> Vec<Item<'a>> {
    if state.views.pooler.only {
        // No database: only the pooler's own freshness.
        let every = pair(Kind::Every, "every ", interval(state.every()), theme, None);
        return std::iter::once(every)
            .chain(pooler_item(state, theme))
            .collect();
    }
    let (mut active, mut idle, mut idle_tx, mut waiting) = (0, 0, 0, 0);
    // The sessions the Activity list counts: a WAL sender is `active` but hidden with the
    // background processes, and must not make an idle server look busy.
    for b in state
        .backends()
        .iter()
        .filter(|b| state.views.activity.shows_kind(b))
    {
        match b.state.as_deref() {
            Some("active") => active += 1,
            Some("idle") => idle += 1,
            Some("idle in transaction" | "idle in transaction (aborted)") => idle_tx += 1,
            _ => {}
        }
        if b.is_waiting_on_lock() {
            waiting += 1;
        }
    }
    let mut items = Vec::new();
    let activity = state.shown.as_deref().map(|s| &s.activity);
    if let Some(Err(e)) = activity {
        // Zeros would read as an idle server: the counts are unknown while the read fails.
        items.push(item(
            Kind::Trouble,
            1,
            vec![Span::styled(
                format!("sessions unknown: {}", sanitize(&e.to_string())),
                theme.error,
            )],
        ));
    } else {
        items.push(pair(
            Kind::Active,
            "active ",
            active.to_string(),
            theme,
            Some(theme.state_active),
        ));
        items.push(pair(Kind::Idle, "idle ", idle.to_string(), theme, None));
        items.push(pair(
            Kind::IdleTx,
            "idle in tx ",
            idle_tx.to_string(),
            theme,
            (idle_tx > 0).then_some(theme.state_idle_tx),
        ));
        let mut waits = pair(
            Kind::LockWaits,
            "lock waits ",
            waiting.to_string(),
            theme,
            (waiting > 0).then_some(theme.state_waiting),
        );
        if let Some(text) = longest_lock_wait(state) {
            waits.spans.push(Span::styled(text, theme.state_waiting));
        }
        items.push(waits);
    }
    // The clock is that of the last data the counts came from.
    let updated = match activity {
        Some(Err(_)) => state.last_good,
        _ => state.shown.as_deref().map(|s| s.taken_at),
    };
    items.push(pair(
        Kind::Updated,
        "updated ",
        updated.map_or_else(|| "--:--:--".to_owned(), |t| clock(t, state.utc_offset)),
        theme,
        None,
    ));
    let every = state.every();
    let mut every_item = pair(Kind::Every, "every ", interval(every), theme, None);
    if every > state.interval {
        // Refreshes come less often than asked: one costs the server more than the budget.
        every_item.kind = Kind::Trouble;
        every_item
            .spans
            .push(Span::styled(" (paced)", theme.warning));
    }
    items.push(every_item);
    let badge = |text: &'static str, style: Style| Item {
        kind: Kind::Trouble,
        group: 1,
        sep: " ",
        spans: vec![Span::styled(text, style)],
    };
    if state.is_stale() {
        items.push(badge(" STALE ", theme.stale));
    }
    if state.paused {
        items.push(badge(" PAUSED ", theme.paused));
    }
    let link = match &state.link {
        Link::Connected => None,
        Link::Connecting => Some(Span::styled("connecting…", theme.warning)),
        Link::Down { cause, retry_in } => Some(Span::styled(
            format!(
                "disconnected: {} (retry in {})",
                sanitize(&cause.to_string()),
                duration_us(retry_in.as_micros() as i64)
            ),
            theme.danger,
        )),
    };
    items.extend(pooler_item(state, theme));
    items.extend(grants(state, theme));
    if let Some(span) = link {
        items.push(Item {
            kind: Kind::Trouble,
            group: 1,
            sep: "  ",
            spans: vec![span],
        });
    }
    items
}

/// `HH:MM:SS` of a client timestamp in the local time zone (offset fixed at start-up).
pub fn clock(t: Micros, utc_offset: i32) -> String {
    let secs = (t / 1_000_000 + i64::from(utc_offset)).rem_euclid(86_400);
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// ` (longest 1m20s)` from pg_locks.waitstart (14+, Locks pane on screen); otherwise the query
/// age of the lock waiters, labelled as such since a query may have waited only part of it.
fn longest_lock_wait(state: &State) -> Option<String> {
    let snapshot = state.shown.as_deref()?;
    let now = snapshot.activity.as_ref().ok()?.now;
    let locks = snapshot.panes.locks.as_ref().and_then(|l| l.as_ref().ok());
    let (age, waited) = crate::panes::locks::view::longest_wait(state.backends(), locks, now)?;
    let label = if waited { "longest" } else { "query age" };
    Some(format!(" ({label} {})", duration_us(age)))
}

/// What the login lacks, with the grant that fixes it: without it rows read
/// `<insufficient privilege>`, or the blocked-by column is empty, which must not read as "no
/// lock waits".
fn grants<'a>(state: &State, theme: &Theme) -> Vec<Item<'a>> {
    let Some(caps) = state.shown.as_deref().map(|s| &s.caps) else {
        return Vec::new();
    };
    let login = sanitize(&caps.login);
    let mut texts = Vec::new();
    if !caps.sees_all_sessions() {
        texts.push(format!(
            "other users' queries hidden: GRANT pg_monitor TO {login}"
        ));
    }
    if !caps.can_blocking_pids {
        texts.push(format!(
            "blocked-by n/a: GRANT EXECUTE ON FUNCTION pg_blocking_pids(integer) TO {login}"
        ));
    }
    texts
        .into_iter()
        .map(|t| Item {
            kind: Kind::Trouble,
            group: 1,
            sep: "  ",
            spans: vec![Span::styled(t, theme.warning)],
        })
        .collect()
}

/// How the connection travels: plaintext over the network and unverified TLS stand out, and
/// never drop.
fn transport<'a>(state: &State, theme: &Theme) -> Option<Item<'a>> {
    use crate::snapshot::Transport;
    let (kind, label, style) = match state.shown.as_deref()?.caps.transport {
        Transport::Unknown => return None,
        Transport::Socket => (Kind::Transport, "socket", theme.header_value),
        Transport::TlsVerified => (Kind::Transport, "TLS verified", theme.header_value),
        Transport::TlsUnverified => (Kind::Trouble, "TLS unverified", theme.warning),
        Transport::Plaintext => (Kind::Trouble, "PLAINTEXT", theme.warning),
    };
    Some(item(kind, 0, vec![Span::styled(label, style)]))
}

/// An interval as set by `+`/`-` or pacing: `250ms`, `1.75s`, `2m00s`.
fn interval(d: Duration) -> String {
    let ms = d.as_millis();
    if (1_000..60_000).contains(&ms) && !ms.is_multiple_of(1_000) {
        let frac = format!("{:03}", ms % 1_000);
        format!("{}.{}s", ms / 1_000, frac.trim_end_matches('0'))
    } else {
        duration_us(i64::try_from(d.as_micros()).unwrap_or(i64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_text_keeps_its_digits() {
        let ms = Duration::from_millis;
        assert_eq!(interval(ms(250)), "250ms");
        assert_eq!(interval(ms(1_000)), "1s");
        assert_eq!(interval(ms(1_750)), "1.75s");
        assert_eq!(interval(ms(1_999)), "1.999s");
        assert_eq!(interval(ms(1_005)), "1.005s");
        assert_eq!(interval(ms(90_000)), "1m30s");
    }

    #[test]
    fn what_signals_trouble_never_drops() {
        for kind in [
            Kind::Role,
            Kind::Conns,
            Kind::Replication,
            Kind::LockWaits,
            Kind::Updated,
            Kind::Trouble,
        ] {
            assert_eq!(kind.rank(), KEEP, "{kind:?}");
        }
        // Version, uptime and the hit ratio go first (after the program's name, a
        // `standbys 0` that says nothing and a pooler link that is fine).
        assert_eq!(
            DROP_ORDER[..6],
            [
                Kind::Name,
                Kind::NoStandbys,
                Kind::Pooler,
                Kind::Hit,
                Kind::Uptime,
                Kind::Version
            ]
        );
    }
}
