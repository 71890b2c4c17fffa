//! Whether pg_stat_statements can be read here, and if not, exactly what fixes it: the library
//! is not preloaded (a restart is needed), or the extension was not created in the connected
//! database. Also the settings that change what the pane can show.

use tokio_postgres::Row;

use super::sql::{ExtVersion, Features};
use crate::collect::rows::{get, text};
use crate::snapshot::PaneError;

/// One row, readable by any role: pg_settings hides `shared_preload_libraries` from roles
/// without pg_read_all_settings, but the library's own settings are visible to all, and they
/// are typed (`integer`) only when the library was loaded at server start; a line in
/// postgresql.conf without the library gives an untyped placeholder (`string`).
pub const SQL: &str = "\
SELECT (SELECT e.extversion FROM pg_extension e WHERE e.extname = 'pg_stat_statements') AS extversion,
       (SELECT n.nspname::text FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
         WHERE e.extname = 'pg_stat_statements') AS schema,
       (SELECT vartype FROM pg_settings WHERE name = 'pg_stat_statements.max') AS max_type,
       (SELECT setting FROM pg_settings WHERE name = 'pg_stat_statements.max') AS max,
       (SELECT setting FROM pg_settings WHERE name = 'pg_stat_statements.track') AS track,
       (SELECT setting FROM pg_settings WHERE name = 'pg_stat_statements.track_planning') AS track_planning,
       (SELECT setting FROM pg_settings WHERE name = 'compute_query_id') AS compute_query_id,
       (SELECT setting FROM pg_settings WHERE name = 'shared_preload_libraries') AS preload,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
         OR pg_has_role('pg_read_all_stats', 'MEMBER') AS sees_all,
       current_database()::text AS database";

/// The probe's row as plain data.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Probe {
    pub extversion: Option<String>,
    pub schema: Option<String>,
    pub max_type: Option<String>,
    pub max: Option<String>,
    pub track: Option<String>,
    pub track_planning: Option<String>,
    pub compute_query_id: Option<String>,
    /// `None` when our role may not see it.
    pub preload: Option<String>,
    pub sees_all: bool,
    pub database: String,
}

pub fn decode(row: &Row) -> Result<Probe, PaneError> {
    Ok(Probe {
        extversion: text(row, "extversion")?,
        schema: text(row, "schema")?,
        max_type: text(row, "max_type")?,
        max: text(row, "max")?,
        track: text(row, "track")?,
        track_planning: text(row, "track_planning")?,
        compute_query_id: text(row, "compute_query_id")?,
        preload: text(row, "preload")?,
        sees_all: get::<Option<bool>>(row, "sees_all")?.unwrap_or(false),
        database: text(row, "database")?.unwrap_or_default(),
    })
}

/// What the pane can read, once pg_stat_statements is there.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Setup {
    pub features: Features,
    pub schema: String,
    /// `pg_stat_statements.max`: the number of entries kept before the least used are evicted.
    pub max: Option<i64>,
    /// `pg_stat_statements.track` (`top`, `all`, `none`).
    pub track: Option<String>,
    /// Planning times are counted (1.8+); `None` when the version has no such setting.
    pub track_planning: Option<bool>,
    /// `compute_query_id` (14+): `off` means Activity's `query_id` stays empty, so a statement
    /// cannot be followed to its sessions.
    pub compute_query_id: Option<String>,
    /// Our role sees other roles' texts and queryids (superuser or pg_read_all_stats).
    pub sees_all: bool,
    pub database: String,
}

impl Setup {
    /// What the pane should say about privileges, if anything.
    pub fn privilege_note(&self) -> Option<&'static str> {
        (!self.sees_all).then_some(
            "other roles' statements are summed without text: GRANT pg_read_all_stats TO this role",
        )
    }
}

/// Why the pane cannot read pg_stat_statements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The library is not in `shared_preload_libraries`. `preload` is the setting's value when
    /// our role may read it.
    NotLoaded { preload: Option<String> },
    /// Loaded, but `CREATE EXTENSION` was not run in the connected database.
    NoExtension { database: String },
    /// An extension version this code cannot read.
    UnknownVersion(String),
}

impl Missing {
    /// The sentence the pane shows, fix included.
    pub fn explain(&self) -> String {
        match self {
            Missing::NotLoaded { preload } => {
                let now = match preload.as_deref() {
                    Some("") => " (it is empty now)".to_owned(),
                    Some(p) => format!(" (it is '{p}' now)"),
                    None => String::new(),
                };
                format!(
                    "pg_stat_statements is not loaded: add it to shared_preload_libraries{now} \
                     and restart the server, then CREATE EXTENSION pg_stat_statements"
                )
            }
            Missing::NoExtension { database } => format!(
                "pg_stat_statements is loaded but not created in database \"{database}\": run \
                 CREATE EXTENSION pg_stat_statements there (or connect to a database that has it)"
            ),
            Missing::UnknownVersion(v) => {
                format!("pg_stat_statements version '{v}' is not one pgscope can read")
            }
        }
    }
}

/// From the probe to what the pane can do.
pub fn diagnose(p: &Probe) -> Result<Setup, Missing> {
    if p.max_type.as_deref() != Some("integer") {
        return Err(Missing::NotLoaded {
            preload: p.preload.clone(),
        });
    }
    let Some(extversion) = p.extversion.as_deref() else {
        return Err(Missing::NoExtension {
            database: p.database.clone(),
        });
    };
    let version = ExtVersion::parse(extversion)
        .filter(|v| *v >= ExtVersion(1, 4))
        .ok_or_else(|| Missing::UnknownVersion(extversion.to_owned()))?;
    Ok(Setup {
        features: Features::of(version),
        schema: p.schema.clone().unwrap_or_else(|| "public".to_owned()),
        max: p.max.as_deref().and_then(|m| m.parse().ok()),
        track: p.track.clone(),
        track_planning: p.track_planning.as_deref().map(|s| s == "on"),
        compute_query_id: p.compute_query_id.clone(),
        sees_all: p.sees_all,
        database: p.database.clone(),
    })
}

/// The error a read gives when the library went away under an existing extension (the
/// extension's own message, SQLSTATE 55000).
pub fn is_not_loaded(e: &PaneError) -> bool {
    e.sqlstate.as_deref() == Some("55000") && e.message.contains("shared_preload_libraries")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded() -> Probe {
        Probe {
            extversion: Some("1.10".into()),
            schema: Some("public".into()),
            max_type: Some("integer".into()),
            max: Some("5000".into()),
            sees_all: true,
            database: "shop".into(),
            ..Probe::default()
        }
    }

    #[test]
    fn a_placeholder_setting_is_not_a_loaded_library() {
        let p = Probe {
            max_type: Some("string".into()),
            preload: Some(String::new()),
            ..loaded()
        };
        let m = diagnose(&p).unwrap_err();
        assert!(
            m.explain()
                .contains("shared_preload_libraries (it is empty now)")
        );
        assert!(m.explain().contains("restart"));
    }

    #[test]
    fn loaded_without_the_extension_names_the_database() {
        let p = Probe {
            extversion: None,
            ..loaded()
        };
        let m = diagnose(&p).unwrap_err();
        assert_eq!(
            m,
            Missing::NoExtension {
                database: "shop".into()
            }
        );
        assert!(m.explain().contains("CREATE EXTENSION pg_stat_statements"));
    }

    #[test]
    fn ready_with_the_settings_that_matter() {
        let s = diagnose(&loaded()).unwrap();
        assert_eq!(s.features.version, ExtVersion(1, 10));
        assert_eq!(s.max, Some(5000));
        assert_eq!(s.privilege_note(), None);
        let s = diagnose(&Probe {
            sees_all: false,
            ..loaded()
        })
        .unwrap();
        assert!(s.privilege_note().unwrap().contains("pg_read_all_stats"));
    }
}
