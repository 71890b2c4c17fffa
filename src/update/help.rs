//! The help overlay's contents and its keys: the live keymap in groups (the focused pane's own
//! keys first, then the global keys, the actions on a backend, the other panes' keys, and the
//! keys of the details and EXPLAIN views), narrowed by a search. Pure: `update` scrolls by it
//! and drawing shows exactly it.

use super::FilterKey;
use crate::action::Action;
use crate::keymap::{Entry, KeyMode, Keymap};
use crate::panes::Pane;
use crate::state::{HelpView, Mode, State};

/// What acts on the selected (or tagged) backend.
const ACTIONS: [Action; 9] = [
    Action::Details,
    Action::Cancel,
    Action::Terminate,
    Action::Explain,
    Action::CopyQuery,
    Action::Tag,
    Action::TagAllShown,
    Action::UntagAll,
    Action::RootBlocker,
];

/// Keys that mean something in one or two panes only.
const PANE_KEYS: [Action; 8] = [
    Action::NextGrouping,
    Action::ToggleLockList,
    Action::CycleWaitsWindow,
    Action::StatementSessions,
    Action::ShowHorizonHolder,
    Action::ExactSize,
    Action::ToggleIdle,
    Action::ToggleBackground,
];

/// Lines the overlay's frame takes from the body (its border, top and bottom).
const FRAME: usize = 2;

/// One line of the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row<'a> {
    Title(String),
    Key(&'a Entry),
}

/// The overlay's lines for the focused `pane`, keeping the bindings whose keys or text contain
/// `search` (any case). Every documented binding is listed once; a group without a match is
/// left out.
pub fn rows<'a>(keymap: &'a Keymap, pane: Pane, search: &str) -> Vec<Row<'a>> {
    let needle = search.to_lowercase();
    let matches = |e: &Entry| {
        needle.is_empty()
            || e.label.to_lowercase().contains(&needle)
            || e.help.to_lowercase().contains(&needle)
    };
    let normal: Vec<&Entry> = keymap.documented().collect();
    let mine: Vec<Action> = super::pane::hints(pane).iter().map(|h| h.0).collect();
    let mut g = Grouper {
        listed: Vec::new(),
        out: Vec::new(),
        matches: &matches,
    };
    // The pane's keys in the order it gives them.
    let ordered: Vec<&Entry> = mine
        .iter()
        .filter_map(|a| normal.iter().copied().find(|e| e.action == *a))
        .collect();
    g.group(format!("{} pane", pane.name()), &|_| true, &ordered);
    g.group(
        "global".to_owned(),
        &|e| !ACTIONS.contains(&e.action) && !PANE_KEYS.contains(&e.action),
        &normal,
    );
    g.group(
        "actions on the selected backend".to_owned(),
        &|e| ACTIONS.contains(&e.action),
        &normal,
    );
    g.group("other panes".to_owned(), &|_| true, &normal);
    // The details and EXPLAIN views' own keys are listed even where normal mode has them too.
    g.listed.clear();
    let popup: Vec<&Entry> = keymap.documented_in(KeyMode::Popup).collect();
    g.group("in details and EXPLAIN".to_owned(), &|_| true, &popup);
    g.out
}

/// Collects groups of rows, each binding in the first group that claims it.
struct Grouper<'a, 'm> {
    listed: Vec<Action>,
    out: Vec<Row<'a>>,
    matches: &'m dyn Fn(&Entry) -> bool,
}

impl<'a> Grouper<'a, '_> {
    fn group(&mut self, title: String, keep: &dyn Fn(&Entry) -> bool, entries: &[&'a Entry]) {
        let mut found: Vec<&'a Entry> = entries
            .iter()
            .copied()
            .filter(|e| keep(e) && !self.listed.contains(&e.action))
            .collect();
        self.listed.extend(found.iter().map(|e| e.action));
        found.retain(|e| (self.matches)(e));
        if !found.is_empty() {
            self.out.push(Row::Title(title));
            self.out.extend(found.into_iter().map(Row::Key));
        }
    }
}

/// Rows of bindings visible in a pane body `body` rows high.
pub fn page(body: u16) -> usize {
    usize::from(body).saturating_sub(FRAME).max(1)
}

/// The first line shown: `scroll` kept so the last page is full.
pub fn top(scroll: usize, rows: usize, page: usize) -> usize {
    scroll.min(rows.saturating_sub(page))
}

/// Opens the overlay at its top.
pub fn open(state: &mut State) {
    state.mode = Mode::Help(HelpView::default());
}

/// An action while the overlay is open: it scrolls, starts the search, or closes the overlay
/// (Esc clears a search first). Nothing reaches the pane behind it.
pub fn on_action(state: &mut State, action: Action) {
    let len = {
        let Mode::Help(view) = &state.mode else {
            return;
        };
        rows(&state.keymap, state.pane, &view.search).len()
    };
    let page = page(state.viewport.body_rows());
    let Mode::Help(view) = &mut state.mode else {
        return;
    };
    let last = len.saturating_sub(page);
    let scroll = top(view.scroll, len, page);
    view.scroll = match action {
        Action::Down => (scroll + 1).min(last),
        Action::Up => scroll.saturating_sub(1),
        Action::PageDown => (scroll + page).min(last),
        Action::PageUp => scroll.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => last,
        Action::StartFilter => {
            view.typing = true;
            scroll
        }
        Action::Clear if !view.search.is_empty() => {
            view.search.clear();
            0
        }
        _ => {
            state.mode = Mode::Normal;
            return;
        }
    };
}

/// The wheel: `delta` lines.
pub fn on_wheel(state: &mut State, delta: isize) {
    let action = if delta < 0 { Action::Up } else { Action::Down };
    for _ in 0..delta.unsigned_abs() {
        on_action(state, action);
    }
}

/// A key while the search is typed: the list narrows as it is typed; Enter keeps it, Esc drops
/// it.
pub fn on_search_key(state: &mut State, key: FilterKey) {
    let Mode::Help(view) = &mut state.mode else {
        return;
    };
    match key {
        FilterKey::Char(c) => view.search.push(c),
        FilterKey::Backspace => {
            view.search.pop();
        }
        FilterKey::Enter => view.typing = false,
        FilterKey::Esc => {
            view.typing = false;
            view.search.clear();
        }
    }
    view.scroll = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys<'a>(rows: &[Row<'a>]) -> Vec<&'a Entry> {
        rows.iter()
            .filter_map(|r| match r {
                Row::Key(e) => Some(*e),
                Row::Title(_) => None,
            })
            .collect()
    }

    #[test]
    fn every_binding_is_listed_once_with_the_panes_own_first() {
        let keymap = Keymap::default();
        let all: Vec<&Entry> = keymap.documented().collect();
        for &pane in Pane::ALL {
            let rows = rows(&keymap, pane, "");
            let listed = keys(&rows);
            assert_eq!(listed.len(), all.len(), "{pane:?}");
            for e in &all {
                assert_eq!(
                    listed.iter().filter(|l| l.action == e.action).count(),
                    1,
                    "{pane:?} {:?}",
                    e.action
                );
            }
            assert_eq!(rows[0], Row::Title(format!("{} pane", pane.name())));
            let first = super::super::pane::hints(pane)[0].0;
            assert_eq!(listed[0].action, first, "{pane:?}");
        }
    }

    #[test]
    fn the_search_narrows_to_keys_and_words() {
        let keymap = Keymap::default();
        let found = rows(&keymap, Pane::Activity, "TERMINATE");
        assert_eq!(
            keys(&found).iter().map(|e| e.action).collect::<Vec<_>>(),
            [Action::Terminate]
        );
        assert!(matches!(found[0], Row::Title(_)));
        assert!(rows(&keymap, Pane::Locks, "no such key").is_empty());
    }

    #[test]
    fn scrolling_stops_at_the_last_page_and_esc_clears_the_search_first() {
        let mut st = State::new(std::time::Duration::from_secs(1), 0);
        st.viewport = crate::layout::Viewport::new(80, 24);
        open(&mut st);
        let len = rows(&st.keymap, st.pane, "").len();
        let page = page(st.viewport.body_rows());
        assert!(len > page, "the list is longer than a screen at 80x24");
        on_action(&mut st, Action::Bottom);
        for _ in 0..3 {
            on_action(&mut st, Action::Down);
        }
        let Mode::Help(view) = &st.mode else {
            panic!("help closed")
        };
        assert_eq!(view.scroll, len - page);
        on_action(&mut st, Action::Up);
        let Mode::Help(view) = &st.mode else {
            panic!("help closed")
        };
        assert_eq!(view.scroll, len - page - 1);
        on_action(&mut st, Action::StartFilter);
        on_search_key(&mut st, FilterKey::Char('k'));
        on_search_key(&mut st, FilterKey::Enter);
        on_action(&mut st, Action::Clear);
        assert!(matches!(&st.mode, Mode::Help(v) if v.search.is_empty() && !v.typing));
        on_action(&mut st, Action::Clear);
        assert_eq!(st.mode, Mode::Normal);
    }

    #[test]
    fn the_wheel_scrolls_and_other_keys_close() {
        let mut st = State::new(std::time::Duration::from_secs(1), 0);
        st.viewport = crate::layout::Viewport::new(80, 24);
        open(&mut st);
        on_wheel(&mut st, 3);
        assert!(matches!(&st.mode, Mode::Help(v) if v.scroll == 3));
        on_wheel(&mut st, -2);
        assert!(matches!(&st.mode, Mode::Help(v) if v.scroll == 1));
        on_action(&mut st, Action::Cancel);
        assert_eq!(st.mode, Mode::Normal, "nothing acts behind help");
    }
}
