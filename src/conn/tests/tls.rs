//! TLS settings: sslmode rules, root certificate defaults, client certificates, versions.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use super::super::ConnArgs;
use super::super::tls::{Roots, SslMode, Versions};
use super::resolve_env;

fn with_home(conninfo: &str, home: &str) -> Result<super::super::Target, String> {
    let args = ConnArgs {
        conninfo: Some(conninfo.to_owned()),
        ..ConnArgs::default()
    };
    resolve_env(&args, &[("HOME", home)]).map_err(|e| e.to_string())
}

#[test]
fn modes_and_defaults() {
    let home = tempfile::tempdir().unwrap();
    let h = home.path().to_str().unwrap();
    let t = with_home("host=h", h).unwrap();
    assert_eq!(t.tls.mode, SslMode::Prefer);
    assert_eq!(t.tls.roots, Roots::None);
    assert!(!t.tls.direct && t.tls.sni);
    assert_eq!(t.tls.versions, Versions::Any);
    assert_eq!(
        with_home("host=h sslmode=require", h).unwrap().tls.roots,
        Roots::None
    );
    // Verification without a root file is refused, with libpq's advice.
    let e = with_home("host=h sslmode=verify-full", h).unwrap_err();
    assert!(
        e.starts_with(&format!(
            "root certificate file \"{h}/.postgresql/root.crt\" does not exist"
        )),
        "{e}"
    );
    assert!(e.contains("sslrootcert=system"));
    let e = with_home("host=h sslmode=verify-ca sslrootcert=/nonexistent.crt", h).unwrap_err();
    assert!(
        e.starts_with("root certificate file \"/nonexistent.crt\" does not exist"),
        "{e}"
    );
    // require with a named file that is missing: no verification, and a warning.
    let t = with_home("host=h sslmode=require sslrootcert=/nonexistent.crt", h).unwrap();
    assert_eq!(t.tls.roots, Roots::None);
    assert!(t.warnings()[0].contains("will not be verified"));
}

#[test]
fn default_root_file_makes_require_verify() {
    let home = tempfile::tempdir().unwrap();
    let dot = home.path().join(".postgresql");
    fs::create_dir(&dot).unwrap();
    fs::write(dot.join("root.crt"), "x").unwrap();
    fs::write(dot.join("root.crl"), "x").unwrap();
    let h = home.path().to_str().unwrap();
    for mode in ["prefer", "require", "verify-ca", "verify-full"] {
        let t = with_home(&format!("host=h sslmode={mode}"), h).unwrap();
        assert_eq!(t.tls.roots, Roots::File(dot.join("root.crt")), "{mode}");
        assert_eq!(t.tls.crl, Some(dot.join("root.crl")));
        assert_eq!(t.tls.checks_name(), mode == "verify-full");
    }
    assert_eq!(
        with_home("host=h sslmode=disable", h).unwrap().tls.roots,
        Roots::None
    );
}

#[test]
fn system_roots_need_verify_full() {
    let t = with_home("host=h sslrootcert=system", "/nonexistent").unwrap();
    assert_eq!(
        (t.tls.mode, t.tls.roots.clone()),
        (SslMode::VerifyFull, Roots::System)
    );
    assert_eq!(
        with_home("host=h sslrootcert=system sslmode=require", "/x").unwrap_err(),
        "weak sslmode \"require\" may not be used with sslrootcert=system (use \"verify-full\")"
    );
}

#[test]
fn direct_negotiation_needs_require() {
    assert!(
        with_home("host=h sslnegotiation=direct sslmode=require", "/x")
            .unwrap()
            .tls
            .direct
    );
    assert_eq!(
        with_home("host=h sslnegotiation=direct", "/x").unwrap_err(),
        "weak sslmode \"prefer\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")"
    );
    assert_eq!(
        with_home("host=h sslnegotiation=fast", "/x").unwrap_err(),
        "invalid sslnegotiation value: \"fast\""
    );
}

#[test]
fn client_certificates() {
    let home = tempfile::tempdir().unwrap();
    let dot = home.path().join(".postgresql");
    fs::create_dir(&dot).unwrap();
    let h = home.path().to_str().unwrap();
    // No certificate file: no client certificate.
    assert_eq!(with_home("host=h", h).unwrap().tls.client, None);
    fs::write(dot.join("postgresql.crt"), "x").unwrap();
    let e = with_home("host=h", h).unwrap_err();
    assert!(
        e.starts_with("certificate present, but not private key file"),
        "{e}"
    );
    fs::write(dot.join("postgresql.key"), "x").unwrap();
    fs::set_permissions(
        dot.join("postgresql.key"),
        fs::Permissions::from_mode(0o600),
    )
    .unwrap();
    assert_eq!(
        with_home("host=h", h).unwrap().tls.client,
        Some((dot.join("postgresql.crt"), dot.join("postgresql.key")))
    );
    assert_eq!(
        with_home("host=h sslcertmode=disable", h)
            .unwrap()
            .tls
            .client,
        None
    );
    let t = with_home("host=h sslcert=/c.crt sslkey=/k.key", h).unwrap();
    assert_eq!(
        t.tls.client, None,
        "a missing named certificate means none, as in libpq"
    );
}

#[test]
fn protocol_versions() {
    let v = |s: &str| with_home(&format!("host=h {s}"), "/x").map(|t| t.tls.versions);
    assert_eq!(v("ssl_min_protocol_version=TLSv1.3"), Ok(Versions::Only13));
    assert_eq!(v("ssl_max_protocol_version=TLSv1.2"), Ok(Versions::Only12));
    assert_eq!(v("ssl_min_protocol_version=TLSv1"), Ok(Versions::Any));
    assert_eq!(
        v("ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2"),
        Err("invalid SSL protocol version range".to_owned())
    );
    assert!(
        v("ssl_min_protocol_version=TLSv1 ssl_max_protocol_version=TLSv1.1")
            .unwrap_err()
            .contains("not supported")
    );
    assert_eq!(
        v("ssl_min_protocol_version=SSLv3"),
        Err("invalid ssl_min_protocol_version value: \"SSLv3\"".to_owned())
    );
}
