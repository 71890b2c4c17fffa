//! The panes: one folder each, and the registry that lists them in number order (the number is
//! also the key that selects a pane). Every layer builds its per-pane dispatch from the one list
//! in [`for_each_pane`], so a pane added there is collected, kept, updated and drawn, or the
//! build fails because its folder lacks one of the layers' traits.
//!
//! A pane's folder holds its marker type `Def`, which implements the layers' traits:
//! `snapshot::PaneData` (its part of a refresh), `collect::pane::Read` (its SQL and decode),
//! `state::views::View` (its view model, a field of `State::views`), `update::pane::Keys` (selection, rebuild, keys) and
//! `ui::pane::Draw` (drawing, which reads only, and hit-testing from the same layout).

/// Calls the macro `$then` with the registry: `(number, key, Variant, module, short name)` per
/// pane, in number order. The key selects the pane; the short name is its tab on a narrow
/// terminal. The module names are also the pane's field names in `State::views`, in the
/// snapshot and in the JSON document.
macro_rules! for_each_pane {
    ($then:ident) => {
        $then! {
            (1, '1', Activity, activity, "Act"),
            (2, '2', Locks, locks, "Lock"),
            (3, '3', Waits, waits, "Wait"),
            (4, '4', Connections, connections, "Conn"),
            (5, '5', Replication, replication, "Repl"),
            (6, '6', Progress, progress, "Prog"),
            (7, '7', Statements, statements, "Stmt"),
            (8, '8', Tables, tables, "Tbl"),
            (9, '9', Settings, settings, "Set"),
            (10, 'P', Pooler, pooler, "Pool"),
        }
    };
}
pub(crate) use for_each_pane;

macro_rules! declare {
    ($(($n:literal, $key:literal, $variant:ident, $module:ident, $short:literal)),* $(,)?) => {
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

            /// The key that selects the pane: its number, or a letter past 9.
            pub fn key(self) -> char {
                match self {
                    $(Pane::$variant => $key,)*
                }
            }

            /// The name in a few letters, for a narrow tab line.
            pub fn short_name(self) -> &'static str {
                match self {
                    $(Pane::$variant => $short,)*
                }
            }

            /// The pane's module, which names its field in `State::views`, the snapshot and
            /// the JSON document.
            pub fn module(self) -> &'static str {
                match self {
                    $(Pane::$variant => stringify!($module),)*
                }
            }
        }
    };
}
for_each_pane!(declare);

impl Pane {
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
