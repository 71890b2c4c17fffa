//! The Settings pane's view state: the pane-local `/` search, and a selection over the listed
//! parameters anchored on the parameter's name.

#[derive(Debug, Clone, Default)]
pub struct SettingsView {
    /// The `/` search over names and descriptions (this pane's own, not Activity's filter).
    pub search: String,
    pub selected: Option<String>,
    pub cursor: usize,
    /// Names of the listed parameters, in display order. Derived by [`SettingsView::rebuild`].
    pub rows: Vec<String>,
    /// Enter shows the selected parameter's long description.
    pub show_extra: bool,
}

impl SettingsView {
    /// Takes the listed names and re-anchors the selection on its name.
    pub fn rebuild(&mut self, rows: Vec<String>) {
        self.rows = rows;
        let found = self
            .selected
            .as_ref()
            .and_then(|name| self.rows.iter().position(|r| r == name));
        self.cursor = match found {
            Some(pos) => pos,
            None => self.cursor.min(self.rows.len().saturating_sub(1)),
        };
        self.selected = self.rows.get(self.cursor).cloned();
    }

    /// Moves the selection by `delta` rows, clamped.
    pub fn move_by(&mut self, delta: isize) {
        if self.rows.is_empty() {
            return;
        }
        let last = self.rows.len() - 1;
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.selected = self.rows.get(self.cursor).cloned();
    }
}

impl crate::state::views::View for super::Def {
    type Model = SettingsView;
}
