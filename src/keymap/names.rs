//! Stable names of the actions, as written in the config file's `[keys.*]` tables. One macro
//! call lists them: the generated `name` matches exhaustively, so an action without a name does
//! not compile.

use std::borrow::Cow;

use crate::action::Action;

macro_rules! names {
    ($($variant:ident => $name:literal,)*) => {
        /// Every action without a payload, with its config name, in a fixed order.
        pub const UNIT: &[(Action, &str)] = &[$((Action::$variant, $name),)*];

        /// The config name of `action`.
        pub fn name(action: Action) -> Cow<'static, str> {
            match action {
                $(Action::$variant => Cow::Borrowed($name),)*
                Action::Pane(n) => Cow::Owned(format!("{PANE_PREFIX}{n}")),
            }
        }
    };
}

/// `pane_1`, `pane_2`...: switch to the pane with that number.
const PANE_PREFIX: &str = "pane_";

names! {
    Quit => "quit",
    ToggleHelp => "help",
    Up => "up",
    Down => "down",
    PageUp => "page_up",
    PageDown => "page_down",
    Top => "top",
    Bottom => "bottom",
    StartFilter => "filter",
    Clear => "clear",
    SortPrev => "sort_prev",
    SortNext => "sort_next",
    SortReverse => "sort_reverse",
    TogglePause => "pause",
    FasterRefresh => "faster",
    SlowerRefresh => "slower",
    ToggleIdle => "toggle_idle",
    ToggleBackground => "toggle_background",
    NextPane => "next_pane",
    PrevPane => "prev_pane",
    ShowHorizonHolder => "horizon_holder",
    RootBlocker => "root_blocker",
    ToggleLockList => "toggle_lock_list",
    NextGrouping => "next_grouping",
    CycleWaitsWindow => "waits_window",
    StatementSessions => "statement_sessions",
    Tag => "tag",
    TagAllShown => "tag_all_shown",
    UntagAll => "untag_all",
    Cancel => "cancel",
    Terminate => "terminate",
    Details => "details",
    Explain => "explain",
    CopyQuery => "copy_query",
    ExactSize => "exact_size",
    NextDatabase => "next_database",
    CycleTheme => "cycle_theme",
    Suspend => "suspend",
}

/// The action a config name stands for.
pub fn parse(name: &str) -> Option<Action> {
    if let Some(n) = name.strip_prefix(PANE_PREFIX) {
        return n
            .parse::<u8>()
            .ok()
            .filter(|n| crate::panes::Pane::from_number(*n).is_some())
            .map(Action::Pane);
    }
    UNIT.iter().find(|(_, n)| *n == name).map(|(a, _)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for &(action, n) in UNIT {
            assert_eq!(name(action), n);
            assert_eq!(parse(n), Some(action));
            assert!(seen.insert(n), "{n} twice");
        }
        assert_eq!(name(Action::Pane(3)), "pane_3");
        assert_eq!(parse("pane_3"), Some(Action::Pane(3)));
        assert_eq!(parse("pane_0"), None);
        assert_eq!(parse("nope"), None);
    }
}
