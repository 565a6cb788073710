//! TLS for the exercise server and its clients (docs/protocol.md, "TLS"): the server's
//! certificate chain and key read from PEM files, a client's trust in the CA file it is
//! given (the deployment's own CA, or a room's self-signed certificate), the name a
//! client checks, and the one stream type both ends use for plain TCP and TLS alike.
//! rustls with the ring provider only (no aws-lc-rs); no system trust store is read: a
//! client trusts exactly the CA file it is handed.

use rustls::{ClientConfig, RootCertStore, ServerConfig};
use rustls_pki_types::pem::PemObject as _;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};

/// Largest certificate, key or CA file read [bytes]: a chain of a few certificates is a
/// few KB.
pub const PEM_FILE_BYTES_MAX: u64 = 1024 * 1024;
/// Time a TLS handshake has to finish, on either end: a client that connects and sends
/// nothing holds a slot no longer than a plain one that says nothing.
pub const HANDSHAKE_WITHIN: Duration = Duration::from_secs(10);

/// A byte stream of either end: a TCP socket, or TLS over one.
pub trait Io: AsyncRead + AsyncWrite + Unpin + Send {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send> Io for T {}

/// The crypto provider of both ends: ring, rustls's defaults for cipher suites and
/// key exchange groups.
fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Reads a PEM file through the bounded reader, naming `flag` and the file on error.
fn read_pem(path: &Path, flag: &str) -> Result<Vec<u8>, String> {
    crate::input::read_bytes_bounded(path, PEM_FILE_BYTES_MAX, "a PEM file").map_err(|e| match e {
        crate::input::CliError::Input(message) => format!("{flag}: {message}"),
        other => format!("{flag} {}: {other:?}", path.display()),
    })
}

/// Every certificate of a PEM file, in order; at least one.
fn read_certificates(path: &Path, flag: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let pem = read_pem(path, flag)?;
    let certificates = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{flag} {}: not a PEM certificate file: {e}", path.display()))?;
    if certificates.is_empty() {
        return Err(format!(
            "{flag} {}: no certificate in it (expected -----BEGIN CERTIFICATE-----)",
            path.display()
        ));
    }
    Ok(certificates)
}

/// The server's TLS settings: the certificate chain (the server's certificate first,
/// then any intermediates) and its private key (PKCS#8, PKCS#1 or SEC1), which must
/// match. Protocol versions TLS 1.2 and 1.3, no client certificates (the seat's token
/// authenticates the seat).
pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<ServerConfig>, String> {
    let chain = read_certificates(cert, "--tls-cert")?;
    let key_pem = read_pem(key, "--tls-key")?;
    let private_key = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|e| {
        format!(
            "--tls-key {}: no private key in it (expected -----BEGIN PRIVATE KEY----- or an RSA or EC key): {e}",
            key.display()
        )
    })?;
    let config = ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_no_client_auth()
        .with_single_cert(chain, private_key)
        .map_err(|e| {
            format!(
                "--tls-cert {} with --tls-key {}: not usable together: {e}",
                cert.display(),
                key.display()
            )
        })?;
    Ok(Arc::new(config))
}

/// A client's TLS settings: the server's certificate must chain to one in `ca` (the
/// deployment's CA, or the server's own self-signed certificate) and name the server.
pub fn client_config(ca: &Path) -> Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    for certificate in read_certificates(ca, "--ca")? {
        roots
            .add(certificate)
            .map_err(|e| format!("--ca {}: a certificate that cannot be trusted: {e}", ca.display()))?;
    }
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS: {e}"))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// The name a client checks the server's certificate against: `server_name` if given,
/// else the host of `addr` (HOST:PORT; an IP address is checked against the
/// certificate's IP addresses).
pub fn server_name(addr: &str, server_name: Option<&str>) -> Result<ServerName<'static>, String> {
    let name = match server_name {
        Some(name) => name,
        None => {
            let (host, _port) = addr
                .rsplit_once(':')
                .ok_or_else(|| format!("{addr}: expected HOST:PORT"))?;
            host.trim_start_matches('[').trim_end_matches(']')
        }
    };
    ServerName::try_from(name.to_string())
        .map_err(|_| format!("{name:?}: not a host name or IP address to check the server's certificate against"))
}

/// How a client reaches the server: plain TCP, or TLS with its settings and the name it
/// checks.
#[derive(Clone)]
pub enum Transport {
    Plain,
    Tls {
        config: Arc<ClientConfig>,
        server_name: ServerName<'static>,
    },
}

impl Transport {
    /// TLS to `addr`, trusting `ca`, checking `server_name` (else the host of `addr`).
    pub fn tls(addr: &str, ca: &Path, server_name: Option<&str>) -> Result<Transport, String> {
        Ok(Transport::Tls {
            config: client_config(ca)?,
            server_name: self::server_name(addr, server_name)?,
        })
    }
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Plain => write!(f, "Plain"),
            Transport::Tls { server_name, .. } => write!(f, "Tls({})", server_name.to_str()),
        }
    }
}

/// A client's TLS flags (`console --connect`, `join`).
#[derive(clap::Args, Debug, Clone, Default)]
pub struct TlsArgs {
    /// Connect over TLS (a server started with --tls-cert and --tls-key).
    #[arg(long, requires = "ca")]
    pub tls: bool,
    /// With --tls: the CA certificate(s) to trust, PEM (the deployment's CA, or the
    /// server's self-signed certificate). No system trust store is read.
    #[arg(long, value_name = "FILE.pem", requires = "tls")]
    pub ca: Option<std::path::PathBuf>,
    /// With --tls: the name the server's certificate must carry (default: the host of
    /// the address; give it when connecting by an IP address the certificate does not
    /// name).
    #[arg(long, value_name = "NAME", requires = "tls")]
    pub server_name: Option<String>,
}

impl TlsArgs {
    /// The transport these flags ask for, to `addr`.
    pub fn transport(&self, addr: &str) -> Result<Transport, String> {
        match (&self.ca, self.tls) {
            (Some(ca), true) => Transport::tls(addr, ca, self.server_name.as_deref()),
            _ => Ok(Transport::Plain),
        }
    }
}
