//! The exercise server over TLS (`serve --tls-cert --tls-key`) on real loopback sockets:
//! certificates made at test time (a deployment's CA and a server certificate it signs,
//! and `tripoint seat cert`'s self-signed one), a seat playing an action over TLS, the
//! board over HTTPS, a plain client, a client trusting another CA or checking another
//! name, garbage instead of a ClientHello and a silent client, none of which stops the
//! server serving the others; bad certificate and key files, and a plain listener off
//! loopback, refused with exit code 2.

mod support;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use support::{Server, TIMEOUT, add_seats, runtime, scratch, tripoint};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tripoint_sim::drill::Action;
use tripoint_tui::net::AckStatus;
use tripoint_tui::net::client::{Client, ClientError};
use tripoint_tui::net::tls::Transport;

/// A deployment's files: its CA's certificate (what clients trust), and a server
/// certificate it signed for `localhost` and 127.0.0.1 with its key.
struct Deployment {
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
}

/// A CA named `ca_name`, and a server certificate it signs, written into `dir`.
fn deployment(dir: &Path, ca_name: &str) -> Deployment {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.distinguished_name.push(rcgen::DnType::CommonName, ca_name);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();
    let files = Deployment {
        ca: dir.join(format!("{ca_name}-ca.pem")),
        cert: dir.join(format!("{ca_name}-server.pem")),
        key: dir.join(format!("{ca_name}-server-key.pem")),
    };
    std::fs::write(&files.ca, ca.pem()).unwrap();
    std::fs::write(&files.cert, server_cert.pem()).unwrap();
    std::fs::write(&files.key, server_key.serialize_pem()).unwrap();
    files
}

fn seats(dir: &Path) -> std::collections::BTreeMap<String, String> {
    add_seats(dir, &[("ctl", "controller"), ("cmd", "command")])
}

fn tls_server(dir: &Path, cert: &Path, key: &Path) -> Server {
    Server::start(
        dir,
        &["--tls-cert", cert.to_str().unwrap(), "--tls-key", key.to_str().unwrap()],
    )
}

/// A raw TLS client sends one HTTP request and reads the whole answer.
async fn https_get(addr: &str, ca: &Path, target: &str) -> String {
    let Transport::Tls { config, server_name } = Transport::tls(addr, ca, None).unwrap() else {
        unreachable!("asked for TLS")
    };
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let mut stream = tokio_rustls::TlsConnector::from(Arc::clone(&config))
        .connect(server_name, tcp)
        .await
        .unwrap();
    let request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    // The server closes after its answer (with or without close_notify).
    let _ = tokio::time::timeout(TIMEOUT, stream.read_to_end(&mut answer))
        .await
        .unwrap();
    String::from_utf8(answer).unwrap()
}

#[test]
fn a_seat_plays_over_tls_and_the_board_answers_over_https() {
    let dir = scratch("tls-play");
    let tokens = seats(&dir);
    let files = deployment(&dir, "delta");
    let server = tls_server(&dir, &files.cert, &files.key);
    let addr = server.addr.clone();
    runtime().block_on(async {
        // By IP address (the certificate names 127.0.0.1) and by name.
        let by_ip = Transport::tls(&addr, &files.ca, None).unwrap();
        let mut command = Client::connect_over(&by_ip, &addr, "cmd", &tokens["cmd"], None)
            .await
            .unwrap();
        let ack = command.act(Action::MediaStatement).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied, "{ack:?}");
        let by_name = Transport::tls(&addr, &files.ca, Some("localhost")).unwrap();
        let controller = Client::connect_over(&by_name, &addr, "ctl", &tokens["ctl"], None)
            .await
            .unwrap();
        assert_eq!(controller.role, "controller");

        let page = https_get(&addr, &files.ca, "/board").await;
        assert!(page.starts_with("HTTP/1.1 200 "), "{}", &page[..page.len().min(200)]);
        assert!(page.contains("<!DOCTYPE html>"), "the page itself");
        let view = https_get(&addr, &files.ca, "/board/view").await;
        assert!(
            view.starts_with("HTTP/1.1 200 ") || view.starts_with("HTTP/1.1 503 "),
            "{view}"
        );
        let missing = https_get(&addr, &files.ca, "/nothing").await;
        assert!(missing.starts_with("HTTP/1.1 404 "), "{missing}");
    });
    let journal = server.journal();
    let log = server.stop();
    assert!(log.contains("https://"), "the board's address says https: {log}");
    let text = std::fs::read_to_string(journal).unwrap();
    assert!(text.contains("media_statement"), "the action is journaled");
}

#[test]
fn plain_wrong_ca_wrong_name_garbage_and_silent_clients_leave_the_others_served() {
    let dir = scratch("tls-hostile");
    let tokens = seats(&dir);
    let files = deployment(&dir, "delta");
    let other = deployment(&dir, "elsewhere");
    let mut server = tls_server(&dir, &files.cert, &files.key);
    let addr = server.addr.clone();
    // A client that connects and sends nothing: the server closes it after the handshake's
    // time limit (10 s), however long the client would wait.
    let mut silent = std::net::TcpStream::connect(&addr).unwrap();
    silent.set_read_timeout(Some(TIMEOUT)).unwrap();
    runtime().block_on(async {
        // A plain client: no welcome, an error, not a hang.
        let plain = Client::connect(&addr, "cmd", &tokens["cmd"]).await;
        assert!(plain.is_err(), "a plain client is not served by a TLS server");

        // A client trusting another CA, and one checking another name.
        let wrong_ca = Transport::tls(&addr, &other.ca, None).unwrap();
        match Client::connect_over(&wrong_ca, &addr, "cmd", &tokens["cmd"], None).await {
            Err(ClientError::Tls(message)) => assert!(message.contains("UnknownIssuer"), "{message}"),
            Err(other) => panic!("expected a TLS error, got {other}"),
            Ok(_) => panic!("a server certificate from another CA was trusted"),
        }
        let wrong_name = Transport::tls(&addr, &files.ca, Some("elsewhere.example")).unwrap();
        match Client::connect_over(&wrong_name, &addr, "cmd", &tokens["cmd"], None).await {
            Err(e @ ClientError::Tls(_)) => {
                let shown = e.to_string();
                assert!(shown.starts_with("TLS handshake: "), "{shown}");
                assert!(shown.contains("not valid for name"), "{shown}");
            }
            Err(other) => panic!("expected a TLS error, got {other}"),
            Ok(_) => panic!("a certificate for another name was accepted"),
        }
    });
    // Garbage instead of a ClientHello: the connection is closed, the server goes on.
    for garbage in [
        &b"\x00\x00\x00\x05hello"[..],
        b"GET /board HTTP/1.1\r\nHost: x\r\n\r\n",
        &[0x16; 4096],
    ] {
        let mut stream = std::net::TcpStream::connect(&addr).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let _ = stream.write_all(garbage);
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        assert!(
            !String::from_utf8_lossy(&answer).contains("HTTP/1.1 200"),
            "nothing served in clear"
        );
    }
    assert!(server.alive());
    runtime().block_on(async {
        let transport = Transport::tls(&addr, &files.ca, None).unwrap();
        let mut command = Client::connect_over(&transport, &addr, "cmd", &tokens["cmd"], None)
            .await
            .unwrap();
        let ack = command.act(Action::MediaStatement).await.unwrap();
        assert_eq!(ack.status, AckStatus::Applied);
    });
    let mut rest = Vec::new();
    let read = silent.read_to_end(&mut rest);
    assert!(
        matches!(read, Ok(0))
            || read.is_err()
                && !matches!(
                    read.as_ref().unwrap_err().kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ),
        "the silent client is closed by the server: {read:?}"
    );
    let log = server.stop();
    assert!(log.contains("TLS handshake failed"), "{log}");
    assert!(log.contains("no TLS handshake within 10 s"), "{log}");
}

#[test]
fn seat_cert_makes_a_self_signed_certificate_that_join_trusts() {
    let dir = scratch("tls-seat-cert");
    let tokens = seats(&dir);
    let out = dir.join("room");
    let made = tripoint(&["seat", "cert", "--out", out.to_str().unwrap(), "--name", "localhost"]);
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(out.join("key.pem")).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "the key is its owner's only: {mode:o}");
    }
    // Never over existing files.
    let again = tripoint(&["seat", "cert", "--out", out.to_str().unwrap(), "--name", "localhost"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));

    let (cert, key) = (out.join("cert.pem"), out.join("key.pem"));
    let server = tls_server(&dir, &cert, &key);
    // `tripoint join` over TLS, by the name the certificate carries.
    let mut join = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["join", &server.addr, "--seat", "cmd", "--tls", "--ca"])
        .arg(&cert)
        .args(["--server-name", "localhost"])
        .env("TRIPOINT_TOKEN", &tokens["cmd"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    join.stdin.take().unwrap().write_all(b"quit\n").unwrap();
    let joined = join.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&joined.stdout);
    assert!(
        stdout.contains("joined as cmd"),
        "{stdout}{}",
        String::from_utf8_lossy(&joined.stderr)
    );
    // Without --server-name the address's IP is checked, which the certificate does not
    // name: refused, exit 2, saying why.
    let by_ip = Command::new(env!("CARGO_BIN_EXE_tripoint"))
        .args(["join", &server.addr, "--seat", "cmd", "--tls", "--ca"])
        .arg(&cert)
        .env("TRIPOINT_TOKEN", &tokens["cmd"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(by_ip.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&by_ip.stderr).contains("TLS handshake"));
    server.stop();
}

/// `serve` with the given flags: exit code and standard error.
fn serve_refused(dir: &Path, flags: &[&str]) -> (Option<i32>, String) {
    let seats = dir.join("seats.toml");
    let mut args = vec!["serve", "--no-db", "--seats", seats.to_str().unwrap()];
    args.extend_from_slice(flags);
    let out = tripoint(&args);
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(!stdout.contains("listening"), "refused before it listens: {stdout}");
    (out.status.code(), String::from_utf8_lossy(&out.stderr).to_string())
}

#[test]
fn bad_certificate_files_and_plain_off_loopback_are_refused_with_exit_code_2() {
    let dir = scratch("tls-refused");
    seats(&dir);
    let files = deployment(&dir, "delta");
    let other = deployment(&dir, "elsewhere");
    let listen = ["--listen", "127.0.0.1:0"];
    let missing = dir.join("missing.pem");
    let (code, err) = serve_refused(
        &dir,
        &[
            &listen[..],
            &[
                "--tls-cert",
                missing.to_str().unwrap(),
                "--tls-key",
                files.key.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--tls-cert") && err.contains("missing.pem"), "{err}");

    let not_pem = dir.join("not.pem");
    std::fs::write(&not_pem, "just text\n").unwrap();
    let (code, err) = serve_refused(
        &dir,
        &[
            &listen[..],
            &[
                "--tls-cert",
                not_pem.to_str().unwrap(),
                "--tls-key",
                files.key.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not.pem") && err.contains("no certificate"), "{err}");

    let (code, err) = serve_refused(
        &dir,
        &[
            &listen[..],
            &[
                "--tls-cert",
                files.cert.to_str().unwrap(),
                "--tls-key",
                not_pem.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--tls-key") && err.contains("no private key"), "{err}");

    // Another server's key.
    let (code, err) = serve_refused(
        &dir,
        &[
            &listen[..],
            &[
                "--tls-cert",
                files.cert.to_str().unwrap(),
                "--tls-key",
                other.key.to_str().unwrap(),
            ],
        ]
        .concat(),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not usable together"), "{err}");

    // A certificate without its key, and plain TCP off loopback.
    let (code, err) = serve_refused(
        &dir,
        &[&listen[..], &["--tls-cert", files.cert.to_str().unwrap()]].concat(),
    );
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--tls-key"), "{err}");
    let (code, err) = serve_refused(&dir, &["--listen", "0.0.0.0:0"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("--insecure-plain") && err.contains("--tls-cert"), "{err}");
}
