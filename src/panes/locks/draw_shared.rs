//! What the Locks pane's draw files share: the node label and the grant for a permission error.

use crate::panes::locks::tree::{NodeKey, TreeRow};
use crate::snapshot::PaneError;
use crate::text::sanitize;

/// The grant that fixes a permission error of this pane, for the login in use.
pub fn grant_hint(e: &PaneError, login: &str) -> Option<String> {
    if !e.is_permission() {
        return None;
    }
    let login = sanitize(login);
    let msg = &e.message;
    Some(if msg.contains("pg_blocking_pids") {
        format!("GRANT EXECUTE ON FUNCTION pg_blocking_pids(integer) TO {login}")
    } else if msg.contains("pg_lock_status") {
        format!("GRANT EXECUTE ON FUNCTION pg_lock_status() TO {login}")
    } else {
        format!("GRANT pg_monitor TO {login}")
    })
}

/// The node's label: tree guides, then the pid or the prepared transaction.
pub fn node_label(row: &TreeRow) -> String {
    let name = match &row.key {
        NodeKey::Pid(pid) => pid.to_string(),
        NodeKey::Prepared(gid) if gid.is_empty() => "prepared xact".to_owned(),
        NodeKey::Prepared(gid) => format!("prepared xact {gid}"),
    };
    format!("{}{name}", row.prefix)
}
