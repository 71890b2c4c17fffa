//! The vocabulary of the keymap: everything a key can ask for. `update` gives each its meaning.

/// A user intent, independent of the key that produced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Quit,
    ToggleHelp,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    StartFilter,
    /// Esc: clear the filter, or close the open overlay.
    Clear,
    SortPrev,
    SortNext,
    SortReverse,
    TogglePause,
    FasterRefresh,
    SlowerRefresh,
    ToggleIdle,
    ToggleBackground,
    NextPane,
    PrevPane,
    Pane(u8),
}
