//! The Replication pane, from either side: on a standby the WAL receiver and replay first,
//! then recovery conflicts; everywhere the WAL senders with a lag sparkline each, the slots
//! (inactive ones retaining WAL highlighted) and logical subscriptions and publications.

use std::fmt::Write as _;

use ratatui::Frame;

use crate::ui::table::{shapes, stack};
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::draw_primary::{logical_section, senders_section, slots_section};
use super::draw_sections::{Ctx, Section, bytes, lag};
use super::draw_standby::{conflicts_section, receiver_section};
use super::layout;
use crate::config::theme::Theme;
use crate::panes::replication::data::{ReplayDelay, Replication, Summary};
use crate::state::State;
use crate::text::{counted, sanitize};

fn data(state: &State) -> Option<&Replication> {
    crate::panes::replication::keys::replication_of(state.shown.as_deref()?)
}

fn summary_of(state: &State) -> Option<&Summary> {
    layout::summary_of(state.shown.as_deref()?)
}

/// For the tab line: which side we are on and the headline numbers.
pub fn summary(state: &State) -> String {
    let Some(s) = summary_of(state) else {
        return "waiting for replication data…".to_owned();
    };
    let mut out = if s.in_recovery {
        format!(
            "standby · receiver {}",
            s.receiver_status
                .as_deref()
                .map_or("not running".into(), sanitize)
        )
    } else {
        format!(
            "{} · {} logical",
            counted(s.standbys, "standby", "standbys"),
            s.logical
        )
    };
    if s.inactive_slots > 0 {
        let slots = counted(s.inactive_slots, "inactive slot", "inactive slots");
        let _ = write!(out, " · {slots} retaining WAL");
    }
    out
}

/// The header's replication spans: standbys and worst lag on a primary, replay lag and the
/// receiver's state on a standby.
pub fn header_spans(state: &State, theme: &Theme) -> Vec<Span<'static>> {
    let Some(s) = summary_of(state) else {
        return Vec::new();
    };
    let mut spans = vec![Span::styled(" · ", theme.header_label)];
    if s.in_recovery {
        match s.receiver_status.as_deref() {
            Some("streaming") => {
                spans.push(Span::styled("replay lag ", theme.header_label));
                let mut text = bytes(s.replay_lag_bytes);
                // Nothing left to replay is no lag, however long the primary has been idle.
                match s.replay_delay() {
                    ReplayDelay::CaughtUp => text.push_str(" 0s caught up"),
                    ReplayDelay::Behind(us) => {
                        let _ = write!(text, " {}", lag(Some(us)));
                    }
                    ReplayDelay::Unknown => {}
                }
                spans.push(Span::styled(text, theme.header_value));
            }
            other => spans.push(Span::styled(
                format!("receiver {}", other.map_or("down".into(), sanitize)),
                theme.danger,
            )),
        }
        if s.replay_paused == Some(true) {
            spans.push(Span::raw(" "));
            spans.push(Span::styled(" REPLAY PAUSED ", theme.stale));
        }
    } else {
        spans.push(Span::styled("standbys ", theme.header_label));
        spans.push(Span::styled(s.standbys.to_string(), theme.header_value));
        if s.standbys + s.logical > 0 {
            spans.push(Span::styled(" · worst lag ", theme.header_label));
            let mut text = bytes(s.worst_lag_bytes);
            if let Some(us) = s.worst_lag {
                let _ = write!(text, " {}", lag(Some(us)));
            }
            spans.push(Span::styled(text, theme.header_value));
        }
    }
    if s.inactive_slots > 0 {
        spans.push(Span::styled(
            format!(
                " · {} ({})",
                counted(s.inactive_slots, "inactive slot", "inactive slots"),
                bytes(s.inactive_slots_bytes)
            ),
            theme.warning,
        ));
    }
    spans
}

/// The sections in drawing order, and whether the server is a standby (then the WAL receiver
/// and the recovery conflicts come first, before senders, slots and subscriptions). `None`
/// before the first data.
pub fn sections<'a>(state: &State, theme: &Theme, w: u16) -> Option<(Vec<Section<'a>>, bool)> {
    let (Some(r), Some(snapshot)) = (data(state), state.shown.as_deref()) else {
        return None;
    };
    let standby = layout::standby(r, snapshot);
    let ctx = Ctx {
        state,
        theme,
        version: snapshot.caps.version_num,
        login: &snapshot.caps.login,
        now: snapshot
            .server
            .as_ref()
            .map_or(snapshot.taken_at, |i| i.now),
        standby,
    };
    let mut sections = Vec::new();
    if standby {
        sections.push(receiver_section(&ctx, &r.receiver));
        sections.push(conflicts_section(&ctx, &r.conflicts, w));
    }
    sections.push(senders_section(
        &ctx,
        r,
        w,
        !snapshot.caps.sees_all_sessions(),
    ));
    sections.push(slots_section(&ctx, r, w));
    sections.push(logical_section(&ctx, r, w));
    Some((sections, standby))
}

impl crate::ui::pane::Draw for super::Def {
    fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
        draw(frame, area, state, theme);
    }

    fn summary(state: &State) -> String {
        summary(state)
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some((sections, standby)) = sections(state, theme, area.width) else {
        frame.render_widget(Paragraph::new("waiting for the first refresh…"), area);
        return;
    };
    // A click plans the lines from `layout::shapes`: it must agree with what is drawn.
    debug_assert_eq!(
        shapes(&sections),
        data(state).map_or_else(Vec::new, |r| layout::shapes(r, standby, &state.views.replication)),
    );
    frame.render_widget(
        Paragraph::new(stack(sections, usize::from(area.height))),
        area,
    );
}
