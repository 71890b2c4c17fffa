//! The action log: one line per target of every cancel and terminate, appended to
//! `actions.log` in the state directory ($XDG_STATE_HOME/pgscope on Linux), so what was done
//! during an incident can be reconstructed afterwards. Never holds a password.

use std::fs::OpenOptions;
use std::io::Write as _;
use std::path::PathBuf;

use crate::effect::SignalReport;
use crate::text::sanitize;

pub fn path() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "pgscope")?;
    let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_local_dir());
    Some(dir.join("actions.log"))
}

/// Appends the report; returns why it could not, for the status line.
pub fn append(report: &SignalReport, login: &str, server: &str, when: &str) -> Result<(), String> {
    let path = path().ok_or("no home directory for the action log")?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let os_user = crate::conn::os_user_name(&|k| std::env::var(k).ok());
    let mut text = String::new();
    let via = if report.via_monitoring.is_some() {
        " via=monitoring"
    } else {
        ""
    };
    for (t, outcome) in &report.results {
        let line = format!(
            "{when} os_user={os_user} login={login} server={server}{via} action={} pid={} backend_start_us={}{} user={} db={} type={} outcome={} query={}",
            report.kind.verb(),
            t.pid,
            t.backend_start,
            t.xact_start
                .map(|x| format!(" xact_start_us={x}"))
                .unwrap_or_default(),
            t.usename,
            t.datname,
            t.backend_type,
            outcome.describe(),
            t.query,
        );
        // The log is read with cat and less: no control characters from the server in it.
        text.push_str(&sanitize(&line));
        text.push('\n');
    }
    file.write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    /// Without `$USER` and `$LOGNAME` (root from cron, a service) the passwd entry names the user.
    #[test]
    fn os_user_without_environment_comes_from_passwd() {
        let name = crate::conn::os_user_name(&|_| None);
        assert!(!name.is_empty() && name != "unknown", "{name}");
        let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
        assert!(
            passwd.lines().any(|l| l.starts_with(&format!("{name}:"))),
            "{name}"
        );
    }
}
