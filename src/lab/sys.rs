//! OS plumbing: who we run as, running server tools as the `postgres` user, and killing a pid.

use std::fs;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use super::LabError;

/// Uid/gid to run server binaries as; `None` means "as ourselves".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RunAs {
    pub uid: u32,
    pub gid: u32,
}

#[allow(unsafe_code)]
pub(crate) fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions, cannot fail and touches no memory of ours.
    unsafe { libc::geteuid() == 0 }
}

/// Sends SIGKILL to `pid`. Used only as the last resort when `pg_ctl stop` failed.
#[allow(unsafe_code)]
pub(crate) fn kill_hard(pid: i32) {
    if pid <= 0 {
        return; // 0 and negatives address process groups: never that.
    }
    // SAFETY: kill only sends a signal; the pid comes from our own postmaster.pid.
    unsafe {
        libc::kill(pid, libc::SIGKILL);
    }
}

/// True if `pid` exists and is not a zombie (a reaped-later postmaster must count as gone).
pub(crate) fn pid_alive(pid: i32) -> bool {
    fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        // Format: "pid (comm) S ...": the state follows the last ')'.
        stat.rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .is_some_and(|state| state != "Z" && state != "X")
    })
}

/// initdb and postgres refuse to run as root, so as root we run them as the `postgres` user.
pub(crate) fn server_user() -> Result<Option<RunAs>, LabError> {
    if !is_root() {
        return Ok(None);
    }
    let passwd = fs::read_to_string("/etc/passwd").map_err(|e| LabError::io("/etc/passwd", e))?;
    passwd
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.len() >= 4 && f[0] == "postgres")
                .then(|| {
                    Some(RunAs {
                        uid: f[2].parse().ok()?,
                        gid: f[3].parse().ok()?,
                    })
                })
                .flatten()
        })
        .map(Some)
        .ok_or(LabError::NoPostgresUser)
}

/// A command for a server binary: as `run_as`, in `cwd` (root's cwd may be untraversable for
/// `postgres`), with no stdin and no inherited PG* variables that could redirect it.
pub(crate) fn server_command(program: &Path, run_as: Option<RunAs>, cwd: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(cwd).stdin(Stdio::null());
    for var in [
        "PGDATA",
        "PGPORT",
        "PGHOST",
        "PGUSER",
        "PGDATABASE",
        "PGOPTIONS",
    ] {
        cmd.env_remove(var);
    }
    if let Some(RunAs { uid, gid }) = run_as {
        // std also drops root's supplementary groups when it switches uid.
        cmd.uid(uid).gid(gid);
    }
    cmd
}

/// Runs `cmd` to completion with captured output (the TUI owns the terminal); non-zero is an error.
pub(crate) fn run(cmd: &mut Command) -> Result<Output, LabError> {
    let name = describe(cmd);
    let out = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).output();
    let out = out.map_err(|e| LabError::io(format!("cannot run {name}"), e))?;
    if out.status.success() {
        Ok(out)
    } else {
        Err(LabError::Command {
            cmd: name,
            status: out.status.to_string(),
            output: tail(&combined(&out), 5),
        })
    }
}

fn describe(cmd: &Command) -> String {
    let prog = Path::new(cmd.get_program());
    let name = prog
        .file_name()
        .unwrap_or(prog.as_os_str())
        .to_string_lossy();
    let args: Vec<_> = cmd.get_args().map(|a| a.to_string_lossy()).collect();
    format!("{name} {}", args.join(" "))
}

fn combined(out: &Output) -> String {
    let mut s = String::from_utf8_lossy(&out.stderr).into_owned();
    s.push_str(&String::from_utf8_lossy(&out.stdout));
    s
}

/// The last `n` non-empty lines of `text`.
pub(crate) fn tail(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Makes `root` and everything below it readable (and dirs traversable) by every user, so the
/// `postgres` user can run binaries that root extracted.
pub(crate) fn make_world_readable(root: &Path) -> Result<(), LabError> {
    use std::os::unix::fs::PermissionsExt;
    let meta =
        fs::symlink_metadata(root).map_err(|e| LabError::io(root.display().to_string(), e))?;
    if meta.file_type().is_symlink() {
        return Ok(());
    }
    let mode = meta.permissions().mode();
    let want = if meta.is_dir() || mode & 0o100 != 0 {
        mode | 0o755
    } else {
        mode | 0o644
    };
    if want != mode {
        fs::set_permissions(root, fs::Permissions::from_mode(want))
            .map_err(|e| LabError::io(format!("chmod {}", root.display()), e))?;
    }
    if meta.is_dir() {
        let entries =
            fs::read_dir(root).map_err(|e| LabError::io(root.display().to_string(), e))?;
        for entry in entries {
            let entry = entry.map_err(|e| LabError::io(root.display().to_string(), e))?;
            make_world_readable(&entry.path())?;
        }
    }
    Ok(())
}
