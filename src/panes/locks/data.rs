//! The Locks pane's data: the locks on objects somebody waits for, the locks of the sessions
//! involved in blocking, and pg_locks grouped on the server.

use crate::snapshot::base::Micros;

/// What the Locks pane collected this refresh.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Locks {
    /// Every lock (held or queued) on an object that at least one session waits for. Capped at
    /// [`Locks::cap`] rows; `contended_capped` says when the cap cut it.
    pub contended: Vec<Lock>,
    pub contended_capped: bool,
    /// Locks of the sessions in `contended`, aggregated per (pid, type, relation, mode, granted).
    pub by_pid: Vec<Lock>,
    /// pg_locks grouped by type, relation, mode and granted, biggest first (waiting first).
    pub groups: Vec<Lock>,
    /// Groups before the cap (the M of "showing N of M").
    pub groups_total: i64,
    /// Rows in pg_locks.
    pub locks_total: i64,
    /// The row cap the server applied to each list.
    pub cap: i64,
}

/// One lock, or a group of identical locks (`count`). Text is raw server text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lock {
    /// `None` for a lock held by a prepared transaction, and for groups.
    pub pid: Option<i32>,
    pub target: LockTarget,
    pub mode: String,
    pub granted: bool,
    /// When the wait began (PostgreSQL 14+; `None` when granted or not available).
    pub waitstart: Option<Micros>,
    /// The prepared transaction that holds the lock, when `pid` is `None` in a contended row.
    pub prepared: Option<Prepared>,
    pub count: i64,
}

/// What a lock is on, with names resolved from the catalogs of the connected database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LockTarget {
    /// pg_locks.locktype: relation, extend, page, tuple, transactionid, virtualxid, object,
    /// advisory, frozenid, spectoken, userlock...
    pub locktype: String,
    /// Database oid (0 for shared objects and for locks not tied to a database).
    pub database: i64,
    /// Name of `database`, when it exists.
    pub datname: Option<String>,
    /// Relation oid, 0 when none.
    pub relation: i64,
    /// Schema and name of `relation`, when it is in the connected database or shared.
    pub schema: Option<String>,
    pub relname: Option<String>,
    pub page: Option<i32>,
    pub tuple: Option<i32>,
    pub virtualxid: Option<String>,
    pub transactionid: Option<String>,
    pub classid: i64,
    pub objid: i64,
    pub objsubid: Option<i32>,
}

/// A prepared transaction: it holds locks but has no backend to cancel or terminate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Prepared {
    pub gid: String,
    pub prepared_at: Option<Micros>,
    pub owner: Option<String>,
    pub database: Option<String>,
}

impl LockTarget {
    /// The same lockable object (the identity pg_locks uses), ignoring names.
    pub fn same_object(&self, other: &LockTarget) -> bool {
        self.locktype == other.locktype
            && self.database == other.database
            && self.relation == other.relation
            && self.page == other.page
            && self.tuple == other.tuple
            && self.virtualxid == other.virtualxid
            && self.transactionid == other.transactionid
            && self.classid == other.classid
            && self.objid == other.objid
            && self.objsubid == other.objsubid
    }

    /// A relation name for display: `schema.name`, or the oid and database when the relation
    /// lives in another database (its catalog is not readable from this connection).
    pub fn relation_label(&self) -> Option<String> {
        if self.relation == 0 {
            return None;
        }
        Some(match (&self.schema, &self.relname) {
            (Some(s), Some(r)) => format!("{s}.{r}"),
            _ => match &self.datname {
                Some(db) => format!("oid {} in {db}", self.relation),
                None => format!("oid {}", self.relation),
            },
        })
    }

    /// What is locked, in words: `public.accounts`, `public.accounts row (0,1)`, `xid 748`,
    /// `advisory 42`, `object pg_database 16384`.
    pub fn describe(&self) -> String {
        let rel = self.relation_label().unwrap_or_default();
        match self.locktype.as_str() {
            "relation" => rel,
            "extend" => format!("{rel} (extend)"),
            "page" => match self.page {
                Some(p) => format!("{rel} page {p}"),
                None => format!("{rel} pages"),
            },
            "tuple" => match (self.page, self.tuple) {
                (Some(p), Some(t)) => format!("{rel} row ({p},{t})"),
                _ => format!("{rel} rows"),
            },
            // A session's own locks are summed by type, without the id.
            "transactionid" => self
                .transactionid
                .as_deref()
                .map_or_else(|| "xid".to_owned(), |x| format!("xid {x}")),
            "virtualxid" => self
                .virtualxid
                .as_deref()
                .map_or_else(|| "vxid".to_owned(), |x| format!("vxid {x}")),
            "advisory" => self.advisory_key(),
            "object" => format!("object {}/{}", self.classid, self.objid),
            other => match (rel.is_empty(), self.objid) {
                (false, _) => format!("{other} {rel}"),
                (true, 0) => other.to_owned(),
                (true, id) => format!("{other} {id}"),
            },
        }
    }

    /// Advisory keys as the application wrote them: one bigint (objsubid 1) or two int4.
    fn advisory_key(&self) -> String {
        if self.objsubid == Some(1) {
            let key = (self.classid << 32) | (self.objid & 0xFFFF_FFFF);
            format!("advisory {key}")
        } else {
            format!("advisory ({},{})", self.classid as i32, self.objid as i32)
        }
    }

    /// Short type label for narrow columns.
    pub fn short_type(&self) -> &str {
        match self.locktype.as_str() {
            "transactionid" => "xid",
            "virtualxid" => "vxid",
            other => other,
        }
    }
}

/// Lock modes without the `Lock` suffix (`AccessExclusive`), for narrow columns.
pub fn short_mode(mode: &str) -> &str {
    mode.strip_suffix("Lock").unwrap_or(mode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_targets() {
        let mut t = LockTarget {
            locktype: "tuple".into(),
            relation: 16_385,
            schema: Some("public".into()),
            relname: Some("accounts".into()),
            page: Some(0),
            tuple: Some(7),
            ..LockTarget::default()
        };
        assert_eq!(t.describe(), "public.accounts row (0,7)");
        t.schema = None;
        t.relname = None;
        t.datname = Some("shop".into());
        assert_eq!(t.describe(), "oid 16385 in shop row (0,7)");
        let adv = LockTarget {
            locktype: "advisory".into(),
            classid: 0,
            objid: 42,
            objsubid: Some(1),
            ..LockTarget::default()
        };
        assert_eq!(adv.describe(), "advisory 42");
        let two = LockTarget {
            objsubid: Some(2),
            classid: 1,
            objid: 2,
            ..adv
        };
        assert_eq!(two.describe(), "advisory (1,2)");
        assert_eq!(short_mode("AccessExclusiveLock"), "AccessExclusive");
    }
}
