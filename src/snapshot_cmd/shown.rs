//! What the output writers read: one pane's view state, fed like the TUI's; and the line a
//! failed pane gets on stderr.

use crate::panes::Pane;
use crate::state::State;

/// One pane's view state, fed every read of that pane.
pub struct Shown {
    pub pane: Pane,
    pub state: State,
}

/// A pane's failure on stderr, one psql-style line (the text and CSV formats; JSON carries it).
pub fn report(pane: Pane, e: &crate::snapshot::PaneError) {
    let text = e.to_string();
    let msg = crate::text::sanitize(&text);
    crate::terminal::say(&format!(
        "pgscope: error: {} pane: {msg}",
        pane.name().to_ascii_lowercase()
    ));
}
