//! rustls on ring, client and server in memory, configured like the lucid-tls side: TLS 1.3
//! only, the scenario's suite and group only, the server certificate pinned by the client
//! (CertificateVerify still checked with rustls' own `verify_tls13_signature`).

use std::io::{Read, Write};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms, ring as rring};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, ClientConnection, ConnectionCommon, ServerConfig, ServerConnection};

use lucid_tls::wire::algorithms::{CipherSuite, NamedGroup};

use super::lucid::ServerKind;
use super::{EARLY_DATA, Scenario, Side, SideTimes};

/// The ring provider cut down to one suite and one group.
fn provider(sc: Scenario) -> Arc<CryptoProvider> {
    let mut p = rring::default_provider();
    p.cipher_suites = vec![match sc.suite {
        CipherSuite::TLS_AES_128_GCM_SHA256 => rring::cipher_suite::TLS13_AES_128_GCM_SHA256,
        CipherSuite::TLS_AES_256_GCM_SHA384 => rring::cipher_suite::TLS13_AES_256_GCM_SHA384,
        _ => rring::cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
    }];
    p.kx_groups = vec![match sc.group {
        NamedGroup::X25519 => rring::kx_group::X25519,
        _ => rring::kx_group::SECP256R1,
    }];
    Arc::new(p)
}

/// Accepts exactly one certificate (as lucid-tls' `PinnedCertificates`), and checks
/// CertificateVerify signatures as rustls always does.
#[derive(Debug)]
struct Pinned {
    certificate: Vec<u8>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if end_entity.as_ref() == self.certificate.as_slice() {
            Ok(ServerCertVerified::assertion())
        } else {
            Err(rustls::Error::InvalidCertificate(
                rustls::CertificateError::UnknownIssuer,
            ))
        }
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("TLS 1.2 is not offered".into()))
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

/// A client for the scenario.
pub fn client_config(sc: Scenario, early_data: bool) -> Arc<ClientConfig> {
    let provider = provider(sc);
    let verifier = Arc::new(Pinned {
        certificate: sc.cert.der(),
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.enable_early_data = early_data;
    Arc::new(config)
}

/// A server for the scenario: no tickets; stateless tickets (ring `Ticketer`), one per
/// handshake; or (0-RTT, which rustls allows only with stateful resumption) one session id
/// per handshake in its in-memory session cache, which hands each out once.
pub fn server_config(sc: Scenario, kind: ServerKind) -> Arc<ServerConfig> {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(sc.cert.key_der()));
    let mut config = ServerConfig::builder_with_provider(provider(sc))
        .with_protocol_versions(&[&rustls::version::TLS13])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![CertificateDer::from(sc.cert.der())], key)
        .unwrap();
    match kind {
        ServerKind::Plain => config.send_tls13_tickets = 0,
        ServerKind::Tickets => {
            config.send_tls13_tickets = 1;
            config.ticketer = rring::Ticketer::new().unwrap();
        }
        ServerKind::EarlyData => {
            config.send_tls13_tickets = 1;
            config.max_early_data_size = 16384;
        }
    }
    Arc::new(config)
}

/// Everything `conn` has to send.
pub fn take_tls<D>(conn: &mut ConnectionCommon<D>) -> Vec<u8> {
    let mut out = Vec::new();
    while conn.wants_write() {
        conn.write_tls(&mut out).unwrap();
    }
    out
}

/// Feeds `input` to `conn`, processing as it goes, and returns the application bytes read.
pub fn feed<D>(conn: &mut ConnectionCommon<D>, mut input: &[u8], buf: &mut [u8]) -> usize
where
    ConnectionCommon<D>: ProcessPackets,
{
    let mut received = 0;
    while !input.is_empty() {
        conn.read_tls(&mut input).unwrap();
        conn.process();
        loop {
            match conn.reader().read(buf) {
                Ok(0) => break,
                Ok(n) => received += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("{e}"),
            }
        }
    }
    received
}

/// `process_new_packets`, which rustls defines per role.
pub trait ProcessPackets {
    fn process(&mut self);
}

impl<D> ProcessPackets for ConnectionCommon<D>
where
    D: rustls::SideData,
{
    fn process(&mut self) {
        self.process_new_packets().unwrap();
    }
}

/// An established pair.
pub struct Established {
    pub client: ClientConnection,
    pub server: ServerConnection,
}

/// Runs a handshake (resuming if the client config holds a ticket; sending `EARLY_DATA` as
/// 0-RTT when `early`), timing each side into `times`.
pub fn handshake(
    client_config: &Arc<ClientConfig>,
    server_config: &Arc<ServerConfig>,
    early: bool,
    times: &mut SideTimes,
) -> Established {
    let name = ServerName::try_from("server").unwrap();
    let mut client = times
        .on(Side::Client, || {
            ClientConnection::new(client_config.clone(), name)
        })
        .unwrap();
    if early {
        times.on(Side::Client, || {
            client
                .early_data()
                .expect("the ticket allows 0-RTT")
                .write_all(EARLY_DATA)
                .unwrap()
        });
    }
    let mut server = times
        .on(Side::Server, || {
            ServerConnection::new(server_config.clone())
        })
        .unwrap();
    let mut buf = vec![0u8; 16384];
    let mut early_received = 0;
    loop {
        let to_server = times.on(Side::Client, || take_tls(&mut client));
        if !to_server.is_empty() {
            times.on(Side::Server, || {
                feed(&mut server, &to_server, &mut buf);
                if let Some(mut data) = server.early_data() {
                    early_received += data.read(&mut buf).unwrap();
                }
            });
        }
        let to_client = times.on(Side::Server, || take_tls(&mut server));
        if !to_client.is_empty() {
            times.on(Side::Client, || feed(&mut client, &to_client, &mut buf));
        }
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
    }
    assert!(!client.is_handshaking() && !server.is_handshaking());
    if early {
        assert_eq!(early_received, EARLY_DATA.len(), "0-RTT was not accepted");
        assert!(client.is_early_data_accepted());
    }
    Established { client, server }
}

/// A full handshake, then dropping both connections, each side timed.
pub fn full_handshake(
    client_config: &Arc<ClientConfig>,
    server_config: &Arc<ServerConfig>,
    times: &mut SideTimes,
) {
    let Established { client, server } = handshake(client_config, server_config, false, times);
    times.on(Side::Client, || drop(client));
    times.on(Side::Server, || drop(server));
}

/// Sends `data` from `conn` and returns the records (writing as much as rustls' send buffer
/// takes, then draining it, as an application over a socket would).
pub fn send<D>(conn: &mut ConnectionCommon<D>, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = data;
    while !rest.is_empty() {
        let n = conn.writer().write(rest).unwrap();
        rest = &rest[n..];
        while conn.wants_write() {
            conn.write_tls(&mut out).unwrap();
        }
    }
    out
}
