//! The config file's column lists for the panes' tables besides Activity's: one key per table
//! under the pane's section (`[locks] tree = [...]`), checked like `activity.columns`.

use serde::Deserialize;
use toml::Spanned;

use super::error::Problems;
use crate::state::tables::{Table, TableColumns};

type List = Spanned<Vec<Spanned<String>>>;

/// A pane's section: one optional column list per table, unknown keys refused.
/// Other settings of the section follow a `;` and are read by the caller.
macro_rules! section {
    ($name:ident { $($key:ident => $table:expr),+ $(; $($other:ident : $ty:ty),+)? $(,)? }) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        // The fields are the file's keys (`[waits] top_waits`).
        #[allow(clippy::struct_field_names)]
        pub(super) struct $name {
            $($key: Option<List>,)+
            $($(pub(super) $other: $ty,)+)?
        }

        impl $name {
            pub(super) fn lists(self) -> Vec<(Table, List)> {
                let mut out = Vec::new();
                $(if let Some(l) = self.$key {
                    out.push(($table, l));
                })+
                out
            }
        }
    };
}

section!(Locks { tree => Table::LocksTree, list => Table::LocksList });
section!(Waits {
    now => Table::WaitsNow,
    top_waits => Table::WaitsTopWaits,
    top_queries => Table::WaitsTopQueries,
});
section!(Connections {
    groups => Table::ConnectionsGroups,
    idle_tx => Table::ConnectionsIdleTx;
    group_by: Option<Spanned<String>>,
});
section!(Progress {
    operations => Table::ProgressOperations,
    horizon => Table::ProgressHorizon,
    wraparound => Table::ProgressWraparound,
    autovacuum => Table::ProgressAutovacuum,
});
section!(Statements {
    columns => Table::Statements,
});
section!(Tables {
    columns => Table::Tables,
});
section!(Settings {
    columns => Table::Settings,
});
section!(Replication {
    senders => Table::ReplicationSenders,
    slots => Table::ReplicationSlots,
    subscriptions => Table::ReplicationSubscriptions,
    conflicts => Table::ReplicationConflicts,
});

/// Checks every list the file names and puts the valid ones into `into`.
pub(super) fn apply<const N: usize>(
    p: &mut Problems,
    sections: [Option<Vec<(Table, List)>>; N],
    into: &mut TableColumns,
) {
    for (table, list) in sections.into_iter().flatten().flatten() {
        into.set(table, columns(p, table, &list));
    }
}

fn columns(p: &mut Problems, table: Table, list: &List) -> Vec<usize> {
    let path = table.path();
    let names = || table.columns().join(", ");
    let mut chosen = Vec::new();
    for c in list.get_ref() {
        match table.index(c.get_ref()) {
            Some(i) if chosen.contains(&i) => {
                p.at(c.span(), format!("{path}: \"{}\" twice", c.get_ref()));
            }
            Some(i) => chosen.push(i),
            None => p.at(
                c.span(),
                format!(
                    "{path}: unknown column \"{}\" (one of {})",
                    c.get_ref(),
                    names()
                ),
            ),
        }
    }
    if list.get_ref().is_empty() {
        p.at(list.span(), format!("{path}: name at least one column"));
    } else if let Some(key) = table.required()
        && table.index(key).is_some_and(|i| !chosen.contains(&i))
    {
        p.at(
            list.span(),
            format!("{path}: \"{key}\" is required: it names each row"),
        );
    }
    chosen
}
