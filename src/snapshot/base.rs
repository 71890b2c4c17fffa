//! The vocabulary every pane's data shares: server times, why a pane has no data, and a pane's
//! part of a refresh. A leaf: the panes' data modules build on it without the snapshot itself.

/// Microseconds since the Unix epoch, as the server reported them.
pub type Micros = i64;

/// A pane's own data in one refresh: `None` when it was not read (the pane was not on screen),
/// otherwise its outcome. A pane made of sections keeps one outcome per section inside `T`.
pub type Part<T> = Option<Result<T, PaneError>>;

/// What a pane adds to a refresh besides the header and the sessions, which every pane gets.
pub trait PaneData {
    /// `()` for a pane that only reads the sessions. Boxed where large: every refresh future
    /// carries a snapshot.
    type Part: std::fmt::Debug + Clone + Send + Sync;
}

/// Why a pane has no data this refresh. Keeps the SQLSTATE so a permission problem and a lost
/// connection stay distinguishable up to the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaneError {
    pub sqlstate: Option<String>,
    pub message: String,
}

impl PaneError {
    pub fn is_permission(&self) -> bool {
        self.sqlstate.as_deref() == Some("42501")
    }
}

impl std::fmt::Display for PaneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.sqlstate {
            Some(code) => write!(f, "{} (SQLSTATE {code})", self.message),
            None => f.write_str(&self.message),
        }
    }
}
