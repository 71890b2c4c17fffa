//! What the panes' drawing shares: the section tables, and the message a pane shows
//! instead of its rows before the first refresh or when the sessions could not be read.

pub mod section_table;

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
pub fn shown_activity<'s>(
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
