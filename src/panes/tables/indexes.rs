//! What is wrong with an index, pure: unused, invalid, duplicate, and the statement that
//! would drop it (shown to the operator, never run by pgscope).

use crate::panes::tables::data::IndexRow;

/// An index's findings; several can hold at once.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[allow(clippy::struct_excessive_bools)] // independent findings, not a state machine
pub struct Health {
    /// Valid, never scanned since the statistics reset, and not enforcing anything (a primary
    /// key, unique or exclusion constraint, a unique index, the replica identity).
    pub unused: bool,
    /// Left invalid by a failed CREATE INDEX CONCURRENTLY or REINDEX CONCURRENTLY: maintained
    /// on every write, used by no query.
    pub invalid: bool,
    /// Being built right now (invalid until it finishes): not a finding.
    pub building: bool,
    /// Same table and shape as this index, which is the one kept.
    pub duplicate_of: Option<String>,
}

impl Health {
    pub fn any(&self) -> bool {
        self.unused || self.invalid || self.duplicate_of.is_some()
    }
}

/// Whether dropping the index would change what the database enforces.
pub fn enforces(ix: &IndexRow) -> bool {
    ix.unique || ix.primary || ix.exclusion || ix.constraint.is_some() || ix.replica_identity
}

pub fn health(ix: &IndexRow) -> Health {
    Health {
        unused: ix.valid && ix.scans == 0 && !enforces(ix) && !ix.building,
        invalid: !ix.valid && !ix.building,
        building: ix.building,
        duplicate_of: ix.duplicate_of.clone(),
    }
}

/// The statement that drops the index: through its constraint when it backs one (DROP INDEX
/// would be refused), without blocking writes where possible. Identifiers were quoted by the
/// server's `quote_ident`.
pub fn drop_statement(ix: &IndexRow) -> String {
    match &ix.constraint {
        Some((_, constraint)) => {
            format!(
                "ALTER TABLE {} DROP CONSTRAINT {constraint};",
                ix.table_ident
            )
        }
        // CONCURRENTLY is refused for the index of a partitioned table.
        None if ix.partitioned => format!("DROP INDEX IF EXISTS {};", ix.index_ident),
        None => format!("DROP INDEX CONCURRENTLY IF EXISTS {};", ix.index_ident),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ix() -> IndexRow {
        IndexRow {
            name: "t_v".to_owned(),
            index_ident: "public.\"Weird \"\"x\"\"\"".to_owned(),
            table_ident: "public.t".to_owned(),
            valid: true,
            ready: true,
            ..IndexRow::default()
        }
    }

    #[test]
    fn unused_only_when_nothing_depends_on_it() {
        assert!(health(&ix()).unused);
        let scanned = IndexRow { scans: 1, ..ix() };
        assert!(!health(&scanned).unused);
        for enforcing in [
            IndexRow {
                unique: true,
                ..ix()
            },
            IndexRow {
                primary: true,
                unique: true,
                ..ix()
            },
            IndexRow {
                exclusion: true,
                ..ix()
            },
            IndexRow {
                replica_identity: true,
                ..ix()
            },
            IndexRow {
                constraint: Some(('u', "c".to_owned())),
                ..ix()
            },
        ] {
            assert!(!health(&enforcing).unused, "{enforcing:?}");
        }
    }

    #[test]
    fn invalid_unless_being_built() {
        let failed = IndexRow {
            valid: false,
            ..ix()
        };
        let h = health(&failed);
        assert!(h.invalid && !h.unused && h.any());
        let building = IndexRow {
            valid: false,
            building: true,
            ..ix()
        };
        let h = health(&building);
        assert!(!h.invalid && h.building && !h.any());
    }

    #[test]
    fn drop_statements() {
        assert_eq!(
            drop_statement(&ix()),
            "DROP INDEX CONCURRENTLY IF EXISTS public.\"Weird \"\"x\"\"\";"
        );
        let part = IndexRow {
            partitioned: true,
            ..ix()
        };
        assert_eq!(
            drop_statement(&part),
            "DROP INDEX IF EXISTS public.\"Weird \"\"x\"\"\";"
        );
        let con = IndexRow {
            constraint: Some(('u', "\"T u\"".to_owned())),
            ..ix()
        };
        assert_eq!(
            drop_statement(&con),
            "ALTER TABLE public.t DROP CONSTRAINT \"T u\";"
        );
    }
}
