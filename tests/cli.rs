//! The command line as a user meets it: --help, --version, completions, the man page, psql's
//! positional DBNAME USERNAME, the hint for a mistyped subcommand, the default debug log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Output};

use clap::Parser;
use pgscope::cli::Cli;
use pgscope::conn;

fn pgscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(args)
        .env_remove("PGSCOPE_LOG")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn help_has_examples_environment_files_and_exit_codes() {
    let help = stdout(&pgscope(&["--help"]));
    for part in [
        "Usage: pgscope [OPTIONS] [DBNAME] [USERNAME]",
        "Examples:",
        "pgscope shop ops",
        "Environment:",
        "PGSCOPE_LOG",
        "PGSCOPE_CONFIG",
        "Files:",
        "config.toml",
        "actions.log",
        "Exit status:",
        "128+n",
        "--log <FILE>",
        "completions",
        "pgscope snapshot --pane locks",
        "a pane failed",
    ] {
        assert!(help.contains(part), "{part:?} missing from:\n{help}");
    }
    let help = stdout(&pgscope(&["snapshot", "--help"]));
    for part in [
        "Usage: pgscope snapshot [OPTIONS] [DBNAME] [USERNAME]",
        "--pane <NAME[,NAME...]>",
        "--format <FORMAT>",
        "--count <N>",
        "--width <COLS>",
        "--output-dir <DIR>",
        "--filter <EXPR>",
        "--min-duration <DURATION>",
    ] {
        assert!(help.contains(part), "{part:?} missing from:\n{help}");
    }
}

#[test]
fn version_names_commit_and_build_date() {
    let version = stdout(&pgscope(&["--version"]));
    let line = version.trim();
    let rest = line
        .strip_prefix(&format!("pgscope {} (", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{line}"));
    // Tests run in a git checkout, so the commit is known.
    let commit = rest
        .strip_prefix("commit ")
        .unwrap_or_else(|| panic!("{line}"));
    let (hash, date) = commit
        .split_once(", built ")
        .unwrap_or_else(|| panic!("{line}"));
    assert!(
        hash.len() == 12 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{line}"
    );
    let date = date.strip_suffix(')').unwrap();
    assert!(
        date.len() == 10 && date.as_bytes()[4] == b'-' && date.as_bytes()[7] == b'-',
        "{line}"
    );
}

/// Each script is checked by its own shell when that shell is installed (bash always is here).
#[test]
fn completions_for_bash_zsh_and_fish() {
    for (shell, marker, check) in [
        ("bash", "complete -F _pgscope", "bash"),
        ("zsh", "#compdef pgscope", "zsh"),
        ("fish", "complete -c pgscope", "fish"),
    ] {
        let script = stdout(&pgscope(&["completions", shell]));
        assert!(script.contains(marker), "{shell}: {script}");
        for word in [
            "read-only",
            "interval",
            "demo",
            "completions",
            "log",
            "snapshot",
            "output-dir",
            "min-duration",
        ] {
            assert!(script.contains(word), "{shell} lacks {word}");
        }
        let installed = Command::new("sh")
            .args(["-c", &format!("command -v {check}")])
            .output()
            .unwrap()
            .status
            .success();
        if installed {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("pgscope.completion");
            std::fs::write(&file, &script).unwrap();
            let out = Command::new(check).arg("-n").arg(&file).output().unwrap();
            assert!(
                out.status.success(),
                "{shell} rejects its script: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        } else {
            assert!(shell != "bash", "bash is needed to check the bash script");
        }
    }
    let out = pgscope(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
}

/// The page renders without roff warnings and carries the sections --help has.
#[test]
fn man_page_renders() {
    let page = stdout(&pgscope(&["man"]));
    for part in [
        ".TH pgscope 1",
        ".SH SYNOPSIS",
        ".SH \"EXAMPLES\"",
        ".SH \"ENVIRONMENT\"",
        ".SH \"FILES\"",
        ".SH \"EXIT STATUS\"",
        "PGSCOPE_LOG",
        "read\\-only",
        "snapshot",
    ] {
        assert!(page.contains(part), "{part:?} missing");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pgscope.1");
    std::fs::write(&file, &page).unwrap();
    let out = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
        .arg(&file)
        .output()
        .expect("groff (Debian: groff-base, as man needs)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.trim().is_empty(), "{stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("EXIT STATUS") && text.contains("pgscope shop ops"));
}

/// psql's `DBNAME USERNAME`: the second word is the user; with -d the first one is; with -U as
/// well, an extra word is reported and ignored.
#[test]
fn positional_dbname_and_username() {
    let target = |args: &[&str]| {
        let cli = Cli::try_parse_from(args).unwrap();
        let t = conn::resolve(&cli.conn.to_args(), &|_| None).unwrap();
        (
            t.dbname().to_owned(),
            t.user().to_owned(),
            pgscope::cli::extra_positional(&cli),
            t.warnings().to_vec(),
        )
    };
    let (db, user, extra, warnings) = target(&["pgscope", "shop", "ops"]);
    assert_eq!((db.as_str(), user.as_str()), ("shop", "ops"));
    assert!(extra.is_none() && warnings.is_empty());
    let (db, user, ..) = target(&["pgscope", "-d", "shop", "ops"]);
    assert_eq!((db.as_str(), user.as_str()), ("shop", "ops"));
    let (db, user, extra, _) = target(&["pgscope", "-d", "shop", "ops", "more"]);
    assert_eq!((db.as_str(), user.as_str()), ("shop", "ops"));
    assert_eq!(
        extra.as_deref(),
        Some("extra command-line argument \"more\" ignored")
    );
    let (db, user, _, warnings) = target(&["pgscope", "-U", "me", "shop", "ops"]);
    assert_eq!((db.as_str(), user.as_str()), ("shop", "me"));
    assert!(
        warnings.iter().any(|w| w.contains("\"ops\" ignored")),
        "{warnings:?}"
    );
    let (db, user, ..) = target(&["pgscope", "host=db1 dbname=shop", "ops"]);
    assert_eq!((db.as_str(), user.as_str()), ("shop", "ops"));
    // Subcommands still win over a database of the same name.
    let cli = Cli::try_parse_from(["pgscope", "demo"]).unwrap();
    assert!(cli.command.is_some());
}

/// `pgscope demoo` against a real server: the database does not exist, and the message says
/// which subcommand was probably meant. A real database name gets no hint.
#[test]
fn mistyped_subcommand_suggests_the_real_one() {
    let cluster = common::cluster(common::majors()[0]);
    let run = |db: &str| {
        Command::new(env!("CARGO_BIN_EXE_pgscope"))
            .args(["-h", &cluster.socket_dir().display().to_string()])
            .args(["-p", &cluster.port().to_string(), "-U", "postgres", db])
            .env_remove("PGSCOPE_LOG")
            .output()
            .unwrap()
    };
    let out = run("demoo");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("database \"demoo\" does not exist")
            && err.contains(
                "pgscope: hint: \"demoo\" was taken as a database name; did you mean `demo`?"
            ),
        "{err}"
    );
    let out = run("nosuchdb");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"nosuchdb\" does not exist") && !err.contains("hint"),
        "{err}"
    );
}

/// PGSCOPE_LOG without --log writes to the state directory, 0600; the terminal only gets the
/// usual one-line error.
#[test]
fn pgscope_log_defaults_to_the_state_directory() {
    let home = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(["-h", "/nonexistent-dir", "-p", "5999", "postgres"])
        .env("HOME", home.path())
        .env_remove("XDG_STATE_HOME")
        .env_remove("PGHOST")
        .env("PGSCOPE_LOG", "debug")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    let path = home.path().join(".local/state/pgscope/pgscope.log");
    let log = std::fs::read_to_string(&path).unwrap();
    assert!(log.contains("connection attempt failed"), "{log}");
    assert!(log.contains("/nonexistent-dir/.s.PGSQL.5999"), "{log}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);

    let out = Command::new(env!("CARGO_BIN_EXE_pgscope"))
        .args(["postgres"])
        .env("PGSCOPE_LOG", "loud")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a level"));
}
