//! The header clock across a daylight-saving change, in a real terminal: pgscope runs under a
//! POSIX TZ rule whose summer time starts a few seconds after launch, and the clock must jump
//! by the hour without a restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use chrono::{DateTime, Datelike, Timelike, Utc};
use common::tmux::Tmux;

/// POSIX TZ `n/hh:mm:ss` (zero-based day of the year, leap day counted) of a UTC instant.
fn rule_at(t: DateTime<Utc>) -> String {
    format!(
        "{}/{:02}:{:02}:{:02}",
        t.ordinal0(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// Seconds since midnight of the `updated HH:MM:SS` in the header.
fn updated(screen: &str) -> Option<i64> {
    let at = screen.find("updated ")? + "updated ".len();
    let parts: Vec<i64> = screen
        .get(at..at + 8)?
        .split(':')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    (parts.len() == 3).then(|| parts[0] * 3600 + parts[1] * 60 + parts[2])
}

/// How far the header's clock is ahead of UTC now, in seconds (-43200..43200).
fn ahead_of_utc(screen: &str) -> Option<i64> {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let utc = i64::try_from(now % 86_400).unwrap();
    let diff = (updated(screen)? - utc).rem_euclid(86_400);
    Some(if diff > 43_200 { diff - 86_400 } else { diff })
}

#[test]
fn header_clock_follows_a_daylight_saving_change() {
    let cluster = common::cluster(common::majors()[0]);
    // Standard time is UTC; summer time (UTC+1) starts 8 s from now and ends two hours later.
    let start = Utc::now() + Duration::from_secs(8);
    let end = start + Duration::from_secs(7_200);
    let tz = format!("STD0DST-1,{},{}", rule_at(start), rule_at(end));

    let tmux = Tmux::start("clock", 160, 30);
    let cmd = format!(
        "TZ='{tz}' {bin} -h {} -p {} -U postgres postgres; echo EXIT=$?",
        cluster.socket_dir().display(),
        cluster.port(),
        bin = env!("CARGO_BIN_EXE_pgscope"),
    );
    tmux.keys(&[&cmd, "Enter"]);
    // Within a few seconds of UTC before the change (the clock shows the last refresh).
    let before = tmux.wait_for("the clock on standard time", |s| {
        ahead_of_utc(s).is_some_and(|d| (-5..=1).contains(&d))
    });
    assert!(
        Utc::now() < start,
        "the change came before the first check:\n{before}"
    );
    // An hour ahead after it, same process.
    tmux.wait_for("the clock on summer time", |s| {
        ahead_of_utc(s).is_some_and(|d| (3_595..=3_601).contains(&d))
    });
    tmux.keys(&["q"]);
    tmux.wait_for("exit", |s| s.contains("EXIT=0"));
}
