//! The panes: one folder each, and the registry that lists them in number order (the number is
//! also the key that selects a pane). Every layer builds its per-pane dispatch from the one list
//! in [`for_each_pane`], so a pane added there is collected, kept, updated and drawn, or the
//! build fails because its folder lacks one of the layers' traits.
//!
//! A pane's folder holds its marker type `Def`, which implements the layers' traits:
//! `snapshot::PaneData` (its part of a refresh), `collect::pane::Read` (its SQL and decode),
//! `state::pane::View` (its view model), `update::pane::Keys` (selection, rebuild, keys) and
//! `ui::pane::Draw` (drawing, which reads only, and hit-testing from the same layout).

/// Calls the macro `$then` with the registry: `(number, Variant, module)` per pane, in number
/// order. The module names are also the pane's field names in `State` and in the snapshot.
macro_rules! for_each_pane {
    ($then:ident) => {
        $then! {
            (1, Activity, activity),
            (2, Locks, locks),
            (3, Waits, waits),
            (4, Connections, connections),
            (5, Replication, replication),
            (6, Progress, progress),
            (7, Statements, statements),
            (8, Tables, tables),
            (9, Settings, settings),
            (10, Pooler, pooler),
        }
    };
}
pub(crate) use for_each_pane;

macro_rules! declare {
    ($(($n:literal, $variant:ident, $module:ident)),* $(,)?) => {
        $(pub mod $module;)*

        /// A pane, by its place in the registry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum Pane {
            #[default]
            $($variant,)*
        }

        impl Pane {
            /// The panes that exist, in number order.
            pub const ALL: &'static [Pane] = &[$(Pane::$variant,)*];

            pub fn number(self) -> u8 {
                match self {
                    $(Pane::$variant => $n,)*
                }
            }

            pub fn name(self) -> &'static str {
                match self {
                    $(Pane::$variant => stringify!($variant),)*
                }
            }
        }
    };
}
for_each_pane!(declare);

impl Pane {
    /// The key that selects the pane: its number, or a letter past 9.
    pub fn key(self) -> char {
        match self {
            Pane::Pooler => 'P',
            p => char::from(b'0' + p.number()),
        }
    }

    /// The name in a few letters, for a narrow tab line.
    pub fn short_name(self) -> &'static str {
        match self {
            Pane::Activity => "Act",
            Pane::Locks => "Lock",
            Pane::Waits => "Wait",
            Pane::Connections => "Conn",
            Pane::Replication => "Repl",
            Pane::Progress => "Prog",
            Pane::Statements => "Stmt",
            Pane::Tables => "Tbl",
            Pane::Settings => "Set",
            Pane::Pooler => "Pool",
        }
    }

    pub fn from_number(n: u8) -> Option<Pane> {
        Pane::ALL.iter().copied().find(|p| p.number() == n)
    }

    /// The next (or previous) pane in number order, wrapping around.
    #[must_use]
    pub fn cycle(self, forward: bool) -> Pane {
        let all = Pane::ALL;
        let pos = all.iter().position(|p| *p == self).unwrap_or(0);
        let next = if forward {
            pos + 1
        } else {
            pos + all.len() - 1
        };
        all[next % all.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::Pane;

    #[test]
    fn numbers_follow_the_registry_order() {
        for w in Pane::ALL.windows(2) {
            assert!(w[0].number() < w[1].number(), "{}", w[1].name());
        }
    }
}
