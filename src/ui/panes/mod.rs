//! One render file per pane, named like its collector.

pub mod activity;
pub mod connections;
pub mod idle_tx;
pub mod locks;
mod locks_detail;
pub mod replication;
mod replication_primary;
mod replication_sections;
mod replication_standby;
pub mod section_table;
pub mod waits;
pub mod waits_history;
pub mod waits_tops;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::config::theme::Theme;
use crate::snapshot::{Activity, Snapshot};
use crate::state::State;
use crate::text::sanitize;

/// The shown snapshot and its activity rows, or `None` once it has drawn why there are none
/// (no refresh yet, or the activity query failed: `label` names the pane in the message).
fn shown_activity<'s>(
    frame: &mut Frame,
    area: Rect,
    state: &'s State,
    theme: &Theme,
    label: &str,
) -> Option<(&'s Snapshot, &'s Activity)> {
    let Some(snapshot) = state.shown.as_deref() else {
        frame.render_widget(Paragraph::new("waiting for the first refresh…"), area);
        return None;
    };
    match &snapshot.activity {
        Ok(a) => Some((snapshot, a)),
        Err(e) => {
            let msg = format!("{label}: {}", sanitize(&e.to_string()));
            frame.render_widget(Paragraph::new(Line::styled(msg, theme.error)), area);
            None
        }
    }
}
