//! `connect` against fake servers: refused, missing socket, frozen server, server errors.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, UnixListener};

use super::super::{ConnArgs, ConnError, connect};
use super::{resolve_env, resolved};

/// A port on which nothing listens (bound, then released).
async fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    l.local_addr().unwrap().port()
}

#[tokio::test]
async fn refused_tcp() {
    let port = closed_port().await;
    let t = resolved(&format!("host=127.0.0.1 port={port}"));
    let e = connect(&t, "pgscope").await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "connection to server at \"127.0.0.1\", port {port} failed: Connection refused \
             (is the server running on that host and accepting TCP/IP connections?)"
        )
    );
}

#[tokio::test]
async fn missing_socket() {
    let dir = tempfile::tempdir().unwrap();
    let args = ConnArgs {
        host: Some(dir.path().to_str().unwrap().into()),
        ..ConnArgs::default()
    };
    let t = resolve_env(&args, &[]).unwrap();
    let e = connect(&t, "pgscope").await.unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "connection to server on socket \"{}/.s.PGSQL.5432\" failed: No such file or directory \
             (is the server running locally and accepting connections on that socket?)",
            dir.path().display()
        )
    );
}

#[tokio::test]
async fn frozen_server_hits_the_deadline() {
    // Accepted by the kernel's backlog, never answered.
    let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = l.local_addr().unwrap().port();
    let t = resolved(&format!("host=127.0.0.1 port={port} connect_timeout=2"));
    let start = Instant::now();
    let e = connect(&t, "pgscope").await.unwrap_err();
    // The kernel accepts a second connection too: the login, not the network, is what hung.
    assert!(matches!(e, ConnError::LoginTimeout { .. }), "{e}");
    assert!(
        e.to_string().starts_with(&format!(
            "connection to server at \"127.0.0.1\", port {port} failed: timeout expired; the \
             server accepts connections but the login did not finish"
        )),
        "{e}"
    );
    assert!(start.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn every_host_is_tried_in_order() {
    let (p1, p2) = (closed_port().await, closed_port().await);
    let t = resolved(&format!("host=127.0.0.1,127.0.0.1 port={p1},{p2}"));
    let e = connect(&t, "pgscope").await.unwrap_err();
    let text = e.to_string();
    let first = text.find(&format!("port {p1}")).unwrap();
    let second = text.find(&format!("port {p2}")).unwrap();
    assert!(first < second, "{text}");
    assert!(matches!(e, ConnError::AllHostsFailed(ref errors) if errors.len() == 2));
}

/// Reads the startup message, then answers with `reply` and closes.
async fn fake_server(listener: UnixListener, reply: Vec<u8>) {
    let (mut s, _) = listener.accept().await.unwrap();
    let len = s.read_i32().await.unwrap();
    let mut rest = vec![0; usize::try_from(len - 4).unwrap()];
    s.read_exact(&mut rest).await.unwrap();
    s.write_all(&reply).await.unwrap();
}

fn message(tag: u8, body: &[u8]) -> Vec<u8> {
    let mut m = vec![tag];
    m.extend_from_slice(&i32::try_from(body.len() + 4).unwrap().to_be_bytes());
    m.extend_from_slice(body);
    m
}

fn error_response(fields: &[(u8, &str)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (code, value) in fields {
        body.push(*code);
        body.extend_from_slice(value.as_bytes());
        body.push(0);
    }
    body.push(0);
    message(b'E', &body)
}

async fn against_fake(reply: Vec<u8>) -> (ConnError, String) {
    let dir = tempfile::tempdir().unwrap();
    let listener = UnixListener::bind(dir.path().join(".s.PGSQL.5432")).unwrap();
    let server = tokio::spawn(fake_server(listener, reply));
    let args = ConnArgs {
        host: Some(dir.path().to_str().unwrap().into()),
        ..ConnArgs::default()
    };
    let e = connect(&resolve_env(&args, &[]).unwrap(), "pgscope")
        .await
        .unwrap_err();
    server.await.unwrap();
    (e, dir.path().display().to_string())
}

#[tokio::test]
async fn server_error_is_typed_and_clean() {
    let reply = error_response(&[
        (b'S', "FATAL"),
        (b'V', "FATAL"),
        (b'C', "53300"),
        (b'M', "sorry, too many clients already\x1b]52;c;x\x07"),
    ]);
    let (e, dir) = against_fake(reply).await;
    assert_eq!(e.sqlstate(), Some("53300"));
    let text = e.to_string();
    assert!(
        text.starts_with(&format!(
            "connection to server on socket \"{dir}/.s.PGSQL.5432\" failed: FATAL:  sorry, too many clients already?]52;c;x?"
        )),
        "{text}"
    );
    assert!(text.contains("pg_use_reserved_connections"));
}

#[tokio::test]
async fn password_request_without_password() {
    // AuthenticationCleartextPassword.
    let (e, dir) = against_fake(message(b'R', &3i32.to_be_bytes())).await;
    assert!(matches!(e, ConnError::NoPassword { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        format!(
            "connection to server on socket \"{dir}/.s.PGSQL.5432\" failed: fe_sendauth: no password supplied"
        )
    );
}

#[tokio::test]
async fn closed_during_startup() {
    let (e, _) = against_fake(Vec::new()).await;
    assert!(
        e.to_string()
            .ends_with("failed: server closed the connection unexpectedly"),
        "{e}"
    );
}
