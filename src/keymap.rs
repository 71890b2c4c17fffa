//! Default key bindings, looked up by mode. The help overlay is generated from this table, so
//! what it shows is always what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;
use crate::pane::Pane;

/// Key labels for the pane numbers.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// One binding: the key as shown in help, how to match it, and what it does.
#[derive(Debug, Clone)]
pub struct Binding {
    pub label: &'static str,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    pub help: &'static str,
}

/// The normal-mode bindings, in the order the help overlay lists them.
#[derive(Debug, Clone)]
pub struct Keymap {
    bindings: Vec<Binding>,
}

const fn key(label: &'static str, code: KeyCode, action: Action, help: &'static str) -> Binding {
    Binding {
        label,
        code,
        modifiers: KeyModifiers::NONE,
        action,
        help,
    }
}

impl Default for Keymap {
    fn default() -> Self {
        use Action as A;
        use KeyCode as K;
        let mut bindings = vec![
            key("q", K::Char('q'), A::Quit, "quit"),
            Binding {
                label: "Ctrl-C",
                code: K::Char('c'),
                modifiers: KeyModifiers::CONTROL,
                action: A::Quit,
                help: "quit",
            },
            key("?", K::Char('?'), A::ToggleHelp, "help"),
            key("j/↓", K::Char('j'), A::Down, "select next row"),
            key("", K::Down, A::Down, ""),
            key("k/↑", K::Char('k'), A::Up, "select previous row"),
            key("", K::Up, A::Up, ""),
            key("PgDn", K::PageDown, A::PageDown, "page down"),
            key("PgUp", K::PageUp, A::PageUp, "page up"),
            key("g", K::Char('g'), A::Top, "first row"),
            key("", K::Home, A::Top, ""),
            key("G", K::Char('G'), A::Bottom, "last row"),
            key("", K::End, A::Bottom, ""),
            key(
                "/",
                K::Char('/'),
                A::StartFilter,
                "filter (db: user: app: state: or text)",
            ),
            key("Esc", K::Esc, A::Clear, "clear filter / close"),
            key("<", K::Char('<'), A::SortPrev, "sort by previous column"),
            key(">", K::Char('>'), A::SortNext, "sort by next column"),
            key("r", K::Char('r'), A::SortReverse, "reverse sort"),
            key(
                "p",
                K::Char('p'),
                A::TogglePause,
                "pause view (keeps collecting)",
            ),
            key("+", K::Char('+'), A::FasterRefresh, "refresh faster"),
            key("-", K::Char('-'), A::SlowerRefresh, "refresh slower"),
            key("i", K::Char('i'), A::ToggleIdle, "show/hide idle sessions"),
            key(
                "b",
                K::Char('b'),
                A::ToggleBackground,
                "show/hide background processes",
            ),
            key(
                "o",
                K::Char('o'),
                A::NextGrouping,
                "Connections: group by db/user/app/client/type",
            ),
            key(
                "Enter",
                K::Enter,
                A::Details,
                "details of the selected backend (full query)",
            ),
            key(
                "c",
                K::Char('c'),
                A::Cancel,
                "cancel the query (selected or tagged)",
            ),
            key(
                "K",
                K::Char('K'),
                A::Terminate,
                "terminate the backend (selected or tagged)",
            ),
            key(
                "Space",
                K::Char(' '),
                A::Tag,
                "tag / untag for a bulk action",
            ),
            key(
                "T",
                K::Char('T'),
                A::TagAllShown,
                "tag every backend shown (the filter's matches)",
            ),
            key("U", K::Char('U'), A::UntagAll, "untag all"),
            key(
                "e",
                K::Char('e'),
                A::Explain,
                "EXPLAIN the query (never ANALYZE)",
            ),
            key("y", K::Char('y'), A::CopyQuery, "copy the query (OSC 52)"),
            key("B", K::Char('B'), A::RootBlocker, "select the root blocker"),
            key(
                "v",
                K::Char('v'),
                A::ToggleLockList,
                "Locks: tree / lock list",
            ),
            key(
                "x",
                K::Char('x'),
                A::ShowHorizonHolder,
                "Progress: show the xmin horizon holder in Activity",
            ),
            key("Tab", K::Tab, A::NextPane, "next pane"),
            key("S-Tab", K::BackTab, A::PrevPane, "previous pane"),
        ];
        for &pane in Pane::ALL {
            let n = pane.number();
            let label = DIGITS.get(usize::from(n)).copied().unwrap_or("");
            let digit = char::from(b'0' + n);
            bindings.push(key(label, K::Char(digit), A::Pane(n), pane.name()));
        }
        Self { bindings }
    }
}

impl Keymap {
    /// The action bound to `ev`, if any. Shift is ignored for characters, since the character
    /// itself already carries it ('G', '?', '<').
    pub fn lookup(&self, ev: &KeyEvent) -> Option<Action> {
        let mods = match ev.code {
            KeyCode::Char(_) => ev.modifiers - KeyModifiers::SHIFT,
            _ => ev.modifiers,
        };
        self.bindings
            .iter()
            .find(|b| b.code == ev.code && b.modifiers == mods)
            .map(|b| b.action)
    }

    /// Bindings worth listing in help (the aliases without a label are folded into their
    /// labelled sibling).
    pub fn documented(&self) -> impl Iterator<Item = &Binding> {
        self.bindings.iter().filter(|b| !b.label.is_empty())
    }
}
