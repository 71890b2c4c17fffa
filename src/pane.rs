//! The panes and their fixed numbers (the number is also the key that selects a pane). Shared
//! by the collector, which queries only what the focused pane needs, and by the UI.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Pane {
    #[default]
    Activity,
    Locks,
    Waits,
    Connections,
    Replication,
    Progress,
}

impl Pane {
    /// The panes that exist, in number order.
    pub const ALL: &'static [Pane] = &[
        Pane::Activity,
        Pane::Locks,
        Pane::Waits,
        Pane::Connections,
        Pane::Replication,
        Pane::Progress,
    ];

    pub fn number(self) -> u8 {
        match self {
            Pane::Activity => 1,
            Pane::Locks => 2,
            Pane::Waits => 3,
            Pane::Connections => 4,
            Pane::Replication => 5,
            Pane::Progress => 6,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Pane::Activity => "Activity",
            Pane::Locks => "Locks",
            Pane::Waits => "Waits",
            Pane::Connections => "Connections",
            Pane::Replication => "Replication",
            Pane::Progress => "Progress",
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
