use super::*;

fn param(name: &str, source: &str) -> Param {
    Param {
        name: name.to_owned(),
        setting: "1".to_owned(),
        source: source.to_owned(),
        category: "Resource Usage / Memory".to_owned(),
        short_desc: format!("about {name}"),
        ..Param::default()
    }
}

#[test]
fn only_what_the_operator_set_pending_restart_first() {
    let mut shared = param("shared_buffers", "default");
    shared.pending_restart = true;
    shared.setting = "16384".to_owned();
    shared.unit = Some("8kB".to_owned());
    shared.boot_val = Some("1024".to_owned());
    let params = Params {
        files_visible: true,
        rows: vec![
            param("application_name", "client"),
            param("statement_timeout", "session"),
            param("wal_buffers", "override"),
            param("work_mem", "default"),
            param("max_connections", "configuration file"),
            param("log_min_duration_statement", "database"),
            shared,
        ],
    };
    let rows = build(&params, "");
    let names: Vec<_> = rows.iter().map(|r| r.param.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "shared_buffers",
            "log_min_duration_statement",
            "max_connections"
        ]
    );
    assert_eq!(rows[0].value, "128 MiB");
    assert_eq!(rows[0].default.as_deref(), Some("8 MiB"));
    assert_eq!(build(&params, "CONNECTIONS").len(), 1);
    assert_eq!(
        build(&params, "about log").len(),
        1,
        "descriptions are searched"
    );
}

#[test]
fn origin_names_the_file_or_the_grant() {
    let mut p = param("work_mem", "configuration file");
    assert_eq!(origin(&p, false), Origin::FileHidden { grant: FILE_GRANT });
    p.sourcefile = Some("/etc/pg/postgresql.conf".to_owned());
    p.sourceline = Some(12);
    assert_eq!(
        origin(&p, true),
        Origin::File {
            file: "/etc/pg/postgresql.conf".to_owned(),
            line: Some(12)
        }
    );
    let u = param("work_mem", "user");
    assert_eq!(origin(&u, false), Origin::Source("user".to_owned()));
}

#[test]
fn overrides_filtered_by_name() {
    let all = [
        Override {
            role: Some("app".to_owned()),
            name: "work_mem".to_owned(),
            value: "64MB".to_owned(),
            ..Override::default()
        },
        Override {
            database: Some("shop".to_owned()),
            name: "search_path".to_owned(),
            value: "a, b".to_owned(),
            ..Override::default()
        },
    ];
    assert_eq!(overrides(&all, "").len(), 2);
    assert_eq!(overrides(&all, "WORK")[0].value, "64MB");
}

#[test]
fn this_sessions_own_set_shows_the_server_value() {
    let mut own = param("idle_in_transaction_session_timeout", "session");
    own.setting = "10000".to_owned();
    own.reset_val = Some("0".to_owned());
    own.boot_val = Some("0".to_owned());
    assert!(!configured(&own), "the server has the default");
    assert_eq!(server_value(&own), "0");
    own.reset_val = Some("60000".to_owned());
    own.unit = Some("ms".to_owned());
    assert!(configured(&own), "the server has its own value");
    let rows = build(
        &Params {
            files_visible: true,
            rows: vec![own],
        },
        "",
    );
    assert_eq!(rows[0].value, "1 min");
    assert_eq!(
        rows[0].origin,
        Origin::Source("before this session's SET".to_owned())
    );
}

#[test]
fn a_pending_restart_is_not_a_file_error() {
    let mut shared = param("shared_buffers", "configuration file");
    shared.pending_restart = true;
    let params = Params {
        files_visible: true,
        rows: vec![shared],
    };
    let pending = FileError {
        name: Some("shared_buffers".to_owned()),
        error: "setting could not be applied".to_owned(),
        ..FileError::default()
    };
    let syntax = FileError {
        sourceline: Some(4),
        error: "syntax error".to_owned(),
        ..FileError::default()
    };
    let issues = file_issues(&[pending, syntax], &params);
    assert_eq!(issues[0].error.error, "syntax error");
    assert!(!issues[0].pending_restart && issues[1].pending_restart);
}
