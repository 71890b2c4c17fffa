//! The Settings pane's keys: `/` starts its own search (typed into `update`'s filter mode; Esc
//! clears it), Enter toggles the selected parameter's long description.

use crate::action::Action;
use crate::panes::settings::data::Settings;
use crate::panes::settings::model;
use crate::snapshot::Snapshot;
use crate::state::{Mode, State};
use crate::update::pane::{Hint, Keys};
use crate::effect::Effect;

impl Keys for super::Def {
    const HINTS: &'static [Hint] = &[
        (Action::StartFilter, "search"),
        (Action::Details, "more"),
    ];

    fn rebuild(state: &mut State, _focused: bool) {
        let names = state
            .settings_data()
            .and_then(|s| s.params.as_ref().ok())
            .map(|p| {
                model::build(p, &state.views.settings.search)
                    .into_iter()
                    .map(|v| v.param.name)
                    .collect()
            })
            .unwrap_or_default();
        state.views.settings.rebuild(names);
    }

    fn move_by(state: &mut State, delta: isize) {
        state.views.settings.move_by(delta);
    }

    fn on_action(state: &mut State, action: Action) -> Option<Vec<Effect>> {
        match action {
            Action::StartFilter => state.mode = Mode::Filter(state.views.settings.search.clone()),
            Action::Details => state.views.settings.show_extra = !state.views.settings.show_extra,
            Action::Clear => {
                state.views.settings.search.clear();
                Self::rebuild(state, true);
            }
            _ => return None,
        }
        Some(Vec::new())
    }
}

/// The Settings data of a snapshot, when the pane was collected.
pub fn settings_of(s: &Snapshot) -> Option<&Settings> {
    s.panes
        .settings
        .as_ref()
        .and_then(|p| p.as_ref().ok())
        .map(AsRef::as_ref)
}

impl State {
    /// The Settings data of the shown snapshot, when the pane was collected.
    pub fn settings_data(&self) -> Option<&Settings> {
        self.shown.as_deref().and_then(settings_of)
    }
}
