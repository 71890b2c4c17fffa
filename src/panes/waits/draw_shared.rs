//! What the Waits pane's draw files share: the colour of a wait class and the label of a span.

use ratatui::style::Style;

use crate::config::theme::Theme;
use crate::panes::waits::data::WaitClass;

/// The style of a wait class, from the theme's roles: CPU looks like running, locks like
/// waiting, and so on, so the timeline reads like the Activity pane.
pub fn class_style(theme: &Theme, class: WaitClass) -> Style {
    match class {
        WaitClass::Cpu => theme.state_active,
        WaitClass::Lock => theme.state_waiting,
        WaitClass::LWLock | WaitClass::BufferPin => theme.warning,
        WaitClass::Io => theme.footer_key,
        WaitClass::Ipc => theme.header_value,
        WaitClass::Client => theme.state_idle_tx,
        WaitClass::Timeout | WaitClass::Activity => theme.state_idle,
        WaitClass::Extension | WaitClass::Other => theme.header,
    }
}

/// A window's length: whole minutes as such, else seconds.
pub fn span(secs: u32) -> String {
    if secs.is_multiple_of(60) {
        format!("{} min", secs / 60)
    } else {
        format!("{secs} s")
    }
}
