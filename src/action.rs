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
    /// Progress: select the session holding back the xmin horizon in the Activity pane.
    ShowHorizonHolder,
    /// Select the root blocker of the selected backend (where its lock pile-up starts).
    RootBlocker,
    /// Locks: switch between the blocking tree and the grouped lock list.
    ToggleLockList,
    /// Connections: group by the next dimension (application, database, user, client, type).
    NextGrouping,
    /// Waits: show the history over the next window (1, 5, 15 minutes); Statements: the next
    /// span (interval, 1/5/15 minutes, cumulative).
    CycleWaitsWindow,
    /// Statements: the selected statement's sessions in Activity (`qid:`).
    StatementSessions,
    /// Tag or untag the selected backend for a bulk action.
    Tag,
    /// Tag every backend the current view shows (the filter's matches).
    TagAllShown,
    UntagAll,
    Cancel,
    Terminate,
    Details,
    Explain,
    CopyQuery,
    /// Tables: measure the selected table's exact size.
    ExactSize,
    /// Tables: show the next database's statistics.
    NextDatabase,
    /// Switch to the next theme (built-in, then the user's).
    CycleTheme,
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    Suspend,
}
