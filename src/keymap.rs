//! Key bindings: the built-in table, the user's rebinds laid over it, looked up per mode with
//! two-key sequences. Help and the footer are generated from the live result, so what they show
//! is always what the keys do.

mod build;
mod chord;
pub mod names;
mod table;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::action::Action;
use crate::panes::Pane;
pub use chord::{Chord, Seq};
use table::Table;
pub use table::{Clash, Entry, Hit};

/// Key labels for the pane numbers.
const DIGITS: [&str; 10] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];

/// One built-in binding: a label (empty for an alias), how to match it, and what it does. Help
/// shows labels generated from the live keys, so a rebind shows up there.
#[derive(Debug, Clone)]
pub struct Binding {
    pub label: &'static str,
    pub code: KeyCode,
    pub modifiers: KeyModifiers,
    pub action: Action,
    pub help: &'static str,
}

/// Where a binding applies. `Popup` (the details and EXPLAIN views) falls back to `Normal` for
/// keys it does not bind itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyMode {
    Normal,
    Popup,
}

impl KeyMode {
    pub const ALL: [KeyMode; 2] = [KeyMode::Normal, KeyMode::Popup];

    /// The name of the mode's table in the config file (`[keys.normal]`).
    pub fn name(self) -> &'static str {
        match self {
            KeyMode::Normal => "normal",
            KeyMode::Popup => "popup",
        }
    }
}

/// The user's keys for one action in one mode, replacing its default keys there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebind {
    pub mode: KeyMode,
    pub action: Action,
    pub keys: Vec<Seq>,
}

/// A clash found while building the keymap, with the mode it is in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModeClash {
    pub mode: KeyMode,
    pub clash: Clash,
}

/// The live bindings of every mode, in the order the help overlay lists them.
#[derive(Debug, Clone)]
pub struct Keymap {
    normal: Table,
    popup: Table,
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
    /// The built-in bindings (a test keeps them free of clashes).
    fn default() -> Self {
        Keymap::build(&[]).0
    }
}

impl Keymap {
    /// The built-in bindings, in help order. Entries without a label are aliases.
    #[allow(clippy::too_many_lines)] // a table: one entry per binding
    pub fn defaults() -> Vec<Binding> {
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
            key("", K::F(1), A::ToggleHelp, ""),
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
            key(
                "s",
                K::Char('s'),
                A::ExactSize,
                "Tables: exact size of the table",
            ),
            key(
                "D",
                K::Char('D'),
                A::NextDatabase,
                "Tables: next database (statistics are per database)",
            ),
            key("B", K::Char('B'), A::RootBlocker, "select the root blocker"),
            key(
                "v",
                K::Char('v'),
                A::ToggleLockList,
                "Locks: tree / lock list",
            ),
            key(
                "w",
                K::Char('w'),
                A::CycleWaitsWindow,
                "Waits, Statements: next time span",
            ),
            key(
                "a",
                K::Char('a'),
                A::StatementSessions,
                "Statements: its sessions in Activity",
            ),
            key(
                "x",
                K::Char('x'),
                A::ShowHorizonHolder,
                "Progress: show the xmin horizon holder in Activity",
            ),
            key("Tab", K::Tab, A::NextPane, "next pane"),
            key("S-Tab", K::BackTab, A::PrevPane, "previous pane"),
            key("t", K::Char('t'), A::CycleTheme, "next color theme"),
            Binding {
                label: "Ctrl-Z",
                code: K::Char('z'),
                modifiers: KeyModifiers::CONTROL,
                action: A::Suspend,
                help: "suspend (fg resumes)",
            },
        ];
        for &pane in Pane::ALL {
            let n = pane.number();
            let label = DIGITS.get(usize::from(n)).copied().unwrap_or("P");
            bindings.push(key(label, K::Char(pane.key()), A::Pane(n), pane.name()));
        }
        bindings
    }

    /// The defaults with `rebinds` laid over them, and the clashes that leaves.
    pub fn build(rebinds: &[Rebind]) -> (Keymap, Vec<ModeClash>) {
        let defaults = Keymap::defaults();
        let mut clashes = Vec::new();
        let mut compile = |mode: KeyMode| {
            let (table, found) = Table::compile(build::entries(mode, &defaults, rebinds));
            clashes.extend(found.into_iter().map(|clash| ModeClash { mode, clash }));
            table
        };
        let normal = compile(KeyMode::Normal);
        let popup = compile(KeyMode::Popup);
        (Keymap { normal, popup }, clashes)
    }

    fn table(&self, mode: KeyMode) -> &Table {
        match mode {
            KeyMode::Normal => &self.normal,
            KeyMode::Popup => &self.popup,
        }
    }

    /// What `chord` means in `mode` after `pending`; `Popup` falls back to `Normal`.
    pub fn hit(&self, mode: KeyMode, pending: Option<Chord>, chord: Chord) -> Hit {
        match self.table(mode).hit(pending, chord) {
            Hit::None if mode != KeyMode::Normal => self.normal.hit(pending, chord),
            hit => hit,
        }
    }

    /// One key press with the pending first key of a sequence. A key that does not complete
    /// the pending sequence drops it and counts on its own.
    pub fn press(
        &self,
        mode: KeyMode,
        pending: &mut Option<Chord>,
        chord: Chord,
    ) -> Option<Action> {
        let mut hit = self.hit(mode, *pending, chord);
        if pending.take().is_some() && hit == Hit::None {
            hit = self.hit(mode, None, chord);
        }
        match hit {
            Hit::Action(a) => Some(a),
            Hit::Prefix => {
                *pending = Some(chord);
                None
            }
            Hit::None => None,
        }
    }

    /// The normal-mode action bound to the single key `ev`, if any.
    pub fn lookup(&self, ev: &KeyEvent) -> Option<Action> {
        match self.normal.hit(None, Chord::from_event(ev)) {
            Hit::Action(a) => Some(a),
            _ => None,
        }
    }

    /// Normal-mode actions that have keys, for help and the footer.
    pub fn documented(&self) -> impl Iterator<Item = &Entry> {
        self.documented_in(KeyMode::Normal)
    }

    pub fn documented_in(&self, mode: KeyMode) -> impl Iterator<Item = &Entry> {
        self.table(mode)
            .entries()
            .iter()
            .filter(|e| !e.keys.is_empty())
    }
}
