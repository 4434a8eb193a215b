//! The crypto floor of a full handshake: the primitive operations one side needs, done
//! with the same provider (so the same crates) and nothing else: no parsing, no encoding,
//! no state machine. A handshake's time ÷ this is the protocol's own overhead.
//!
//! Per side (1-RTT, certificate, no client authentication, no tickets issued):
//!
//! | operation                         | client                     | server                    |
//! |-----------------------------------|----------------------------|---------------------------|
//! | key share                         | generate + complete        | encapsulate (for (EC)DHE: generate + complete) |
//! | CertificateVerify                 | verify                     | sign                      |
//! | transcript hash                   | CH SH EE CT CV SF CF, 5 reads | CH SH EE CT CV SF CF... 4 reads |
//! | HKDF-Extract                      | 2 (handshake, master)      | 2                         |
//! | HKDF-Expand(-Label)               | 1 derived + 2 hs + 3 ap/exp + 2 finished + 8 key/iv + res master | same, no res master |
//! | HMAC                              | 2 (server Finished check, client Finished) | 2         |
//! | AEAD                              | 4 keys; open the server flight, seal Finished | 4 keys; seal the flight, open Finished |
//!
//! Without a PSK the Early Secret and the salt derived from it are constants, and so is
//! `Hash("")` for the `derived` secrets: they are computed once at setup, as lucid-tls's key
//! schedule has them built in (`key_schedule/without_psk.rs`). Several outputs of one
//! secret are expanded from one keyed PRK (`CryptoProvider::hkdf_prk`): both handshake
//! traffic secrets, the three application secrets, a traffic secret's key and IV; the
//! key schedule does the same. The (EC)DHE results are computed and discarded: the schedule runs on a fixed shared
//! secret so that the records sealed at setup open under the keys derived here. The
//! message bytes are those of a real lucid-tls handshake of the same scenario.

use std::hint::black_box;
use std::sync::Arc;

use lucid_tls::connection::EndEntityKey;
use lucid_tls::crypto::{
    AEAD_TAG_LEN, AeadAlgorithm, CryptoProvider, HashAlgorithm, HashOutput, Secret, SigningKey,
    suite_algorithms,
};
use lucid_tls::key_schedule::{hkdf_expand_label, hkdf_expand_label_with};
use lucid_tls::trace::{Direction, TraceEvent};
use lucid_tls::wire::algorithms::{NamedGroup, SignatureScheme};

use super::Scenario;
use super::lucid::{BenchRng, LucidStack, ServerKind};

/// Everything the floor needs, prepared outside the timed region.
pub struct FloorInput {
    provider: Arc<dyn CryptoProvider>,
    hash: HashAlgorithm,
    aead: AeadAlgorithm,
    group: NamedGroup,
    scheme: SignatureScheme,
    /// ClientHello, ServerHello, EncryptedExtensions, Certificate, CertificateVerify,
    /// server Finished, client Finished: as sent.
    messages: [Vec<u8>; 7],
    server_key: Arc<dyn SigningKey>,
    server_public_key: Vec<u8>,
    signature: Vec<u8>,
    client_share: Vec<u8>,
    server_share: Vec<u8>,
    shared: Secret,
    /// The Early Secret's salt and `Hash("")`, constants without a PSK.
    constants: NoPskConstants,
    /// The server's flight (EE..SF) sealed under the server handshake key, and its tag.
    server_flight: (Vec<u8>, [u8; AEAD_TAG_LEN]),
    /// The client Finished sealed under the client handshake key, and its tag.
    client_finished: (Vec<u8>, [u8; AEAD_TAG_LEN]),
}

const CH: usize = 0;
const SH: usize = 1;
const EE: usize = 2;
const CT: usize = 3;
const CV: usize = 4;
const SF: usize = 5;
const CF: usize = 6;

/// The record header of a protected handshake record of `len` bytes (the AEAD's AAD).
fn header(len: usize) -> [u8; 5] {
    let n = (len + AEAD_TAG_LEN) as u16;
    [23, 3, 3, (n >> 8) as u8, n as u8]
}

fn expand(
    p: &dyn CryptoProvider,
    h: HashAlgorithm,
    secret: &Secret,
    label: &[u8],
    context: &[u8],
) -> Secret {
    let mut out = [0u8; 48];
    let len = h.output_len();
    hkdf_expand_label(p, h, secret, label, context, &mut out[..len]).unwrap();
    Secret::new(&out[..len])
}

/// key and iv of a traffic secret (RFC 9846 §7.3), from one keyed PRK.
fn traffic_key(
    p: &dyn CryptoProvider,
    h: HashAlgorithm,
    alg: AeadAlgorithm,
    secret: &Secret,
) -> (Box<dyn lucid_tls::crypto::Aead>, [u8; 12]) {
    let mut key = [0u8; 32];
    let mut iv = [0u8; 12];
    let prk = p.hkdf_prk(h, secret.as_bytes()).unwrap();
    hkdf_expand_label_with(&*prk, b"key", b"", &mut key[..alg.key_len()]).unwrap();
    hkdf_expand_label_with(&*prk, b"iv", b"", &mut iv).unwrap();
    (p.aead(alg, &key[..alg.key_len()]).unwrap(), iv)
}

/// Several Derive-Secrets of one secret over one transcript hash, from one keyed PRK.
fn expand_each<const N: usize>(
    p: &dyn CryptoProvider,
    h: HashAlgorithm,
    secret: &Secret,
    labels: [&[u8]; N],
    context: &[u8],
) -> [Secret; N] {
    let prk = p.hkdf_prk(h, secret.as_bytes()).unwrap();
    labels.map(|label| {
        let mut out = [0u8; 48];
        let out = &mut out[..h.output_len()];
        hkdf_expand_label_with(&*prk, label, context, out).unwrap();
        Secret::new(out)
    })
}

/// What a handshake without a PSK starts from: the salt derived from the constant Early
/// Secret (RFC 9846 §7.1), and `Hash("")`. Computed once, outside the timed floor.
pub struct NoPskConstants {
    early_salt: Secret,
    empty_hash: HashOutput,
}

impl NoPskConstants {
    fn new(p: &dyn CryptoProvider, h: HashAlgorithm) -> Self {
        let zeros = [0u8; 48];
        let len = h.output_len();
        let early = p.hkdf_extract(h, &zeros[..len], &zeros[..len]);
        let empty_hash = p.hash(h).current();
        let early_salt = expand(p, h, &early, b"derived", empty_hash.as_bytes());
        Self {
            early_salt,
            empty_hash,
        }
    }
}

/// Handshake secret, and the two handshake traffic secrets.
fn handshake_secrets(
    p: &dyn CryptoProvider,
    h: HashAlgorithm,
    constants: &NoPskConstants,
    shared: &Secret,
    hello_hash: &HashOutput,
) -> (Secret, Secret, Secret) {
    let hs = p.hkdf_extract(h, constants.early_salt.as_bytes(), shared.as_bytes());
    let [c_hs, s_hs] = expand_each(
        p,
        h,
        &hs,
        [b"c hs traffic", b"s hs traffic"],
        hello_hash.as_bytes(),
    );
    (hs, c_hs, s_hs)
}

/// Master secret and the application secrets (client, server, exporter).
fn application_secrets(
    p: &dyn CryptoProvider,
    h: HashAlgorithm,
    constants: &NoPskConstants,
    hs: &Secret,
    finished_hash: &HashOutput,
) -> (Secret, [Secret; 3]) {
    let zeros = [0u8; 48];
    let derived = expand(p, h, hs, b"derived", constants.empty_hash.as_bytes());
    let ms = p.hkdf_extract(h, derived.as_bytes(), &zeros[..h.output_len()]);
    let secrets = expand_each(
        p,
        h,
        &ms,
        [b"c ap traffic", b"s ap traffic", b"exp master"],
        finished_hash.as_bytes(),
    );
    (ms, secrets)
}

fn finished_mac(
    p: &dyn CryptoProvider,
    h: HashAlgorithm,
    base: &Secret,
    transcript: &HashOutput,
) -> HashOutput {
    let key = expand(p, h, base, b"finished", b"");
    p.hmac(h, key.as_bytes(), &[transcript.as_bytes()])
}

/// RFC 9846 §4.5.2: the content a server's CertificateVerify signs.
fn server_cv_content(transcript: &HashOutput) -> Vec<u8> {
    let mut content = vec![0x20u8; 64];
    content.extend_from_slice(b"TLS 1.3, server CertificateVerify\0");
    content.extend_from_slice(transcript.as_bytes());
    content
}

/// Hash of the first `n` messages.
fn transcript(p: &dyn CryptoProvider, h: HashAlgorithm, messages: &[Vec<u8>]) -> HashOutput {
    let mut t = p.hash(h);
    for m in messages {
        t.update(m);
    }
    t.current()
}

impl FloorInput {
    /// Runs one traced lucid-tls handshake of `sc` on `stack` for the message bytes, and
    /// prepares signatures, shares and sealed records.
    pub fn new(stack: &LucidStack, sc: Scenario) -> Self {
        let p = stack.provider.clone();
        let (aead, hash) = suite_algorithms(sc.suite).unwrap();
        let messages = traced_messages(stack, sc);
        let server_key: Arc<dyn SigningKey> =
            Arc::from(p.load_signing_key(&sc.cert.key_der()).unwrap());
        let scheme = server_key.schemes()[0];
        let server_public_key = EndEntityKey::from_certificate(&sc.cert.der())
            .unwrap()
            .public_key;
        let h_ct = transcript(p.as_ref(), hash, &messages[..=CT]);
        let signature = server_key
            .sign(scheme, &server_cv_content(&h_ct), &mut *BenchRng::new(1))
            .unwrap();
        let share = |seed| {
            p.start_key_exchange(sc.group, &mut *BenchRng::new(seed))
                .unwrap()
        };
        let client_kx = share(2);
        let client_share = client_kx.public_key().to_vec();
        let (server_share, _) = p
            .encapsulate(sc.group, &client_share, &mut *BenchRng::new(3))
            .unwrap();
        let shared = client_kx.complete(&server_share).unwrap();
        let h_sh = transcript(p.as_ref(), hash, &messages[..=SH]);
        let constants = NoPskConstants::new(p.as_ref(), hash);
        let (_, c_hs, s_hs) = handshake_secrets(p.as_ref(), hash, &constants, &shared, &h_sh);
        let seal = |secret: &Secret, plain: Vec<u8>| {
            let (key, iv) = traffic_key(p.as_ref(), hash, aead, secret);
            let mut buf = plain;
            buf.push(22);
            let tag = key
                .seal_in_place(&iv, &header(buf.len()), &mut buf)
                .unwrap();
            (buf, tag)
        };
        let server_flight = seal(&s_hs, messages[EE..=SF].concat());
        let client_finished = seal(&c_hs, messages[CF].clone());
        Self {
            provider: p,
            hash,
            aead,
            group: sc.group,
            scheme,
            messages,
            server_key,
            server_public_key,
            signature,
            client_share,
            server_share,
            shared,
            constants,
            server_flight,
            client_finished,
        }
    }

    /// The client's share of the floor.
    #[inline(never)]
    pub fn client(&self, rng_seed: u64) {
        let (p, h) = (self.provider.as_ref(), self.hash);
        let m = &self.messages;
        let kx = p
            .start_key_exchange(self.group, &mut *BenchRng::new(rng_seed))
            .unwrap();
        black_box(kx.public_key());
        let mut t = p.hash(h);
        t.update(&m[CH]);
        t.update(&m[SH]);
        let h_sh = t.current();
        black_box(kx.complete(&self.server_share).unwrap());
        let (hs, c_hs, s_hs) = handshake_secrets(p, h, &self.constants, &self.shared, &h_sh);
        let (s_key, s_iv) = traffic_key(p, h, self.aead, &s_hs);
        let (c_key, c_iv) = traffic_key(p, h, self.aead, &c_hs);
        let (mut flight, tag) = self.server_flight.clone();
        s_key
            .open_in_place(&s_iv, &header(flight.len()), &mut flight, &tag)
            .unwrap();
        t.update(&m[EE]);
        t.update(&m[CT]);
        let h_ct = t.current();
        p.verify_signature(
            self.scheme,
            &self.server_public_key,
            &server_cv_content(&h_ct),
            &self.signature,
        )
        .unwrap();
        t.update(&m[CV]);
        let h_cv = t.current();
        black_box(finished_mac(p, h, &s_hs, &h_cv));
        t.update(&m[SF]);
        let h_sf = t.current();
        let (ms, [c_ap, s_ap, exp]) = application_secrets(p, h, &self.constants, &hs, &h_sf);
        black_box(finished_mac(p, h, &c_hs, &h_sf));
        let mut finished = m[CF].clone();
        finished.push(22);
        black_box(
            c_key
                .seal_in_place(&c_iv, &header(finished.len()), &mut finished)
                .unwrap(),
        );
        black_box(traffic_key(p, h, self.aead, &c_ap));
        black_box(traffic_key(p, h, self.aead, &s_ap));
        t.update(&m[CF]);
        let h_cf = t.current();
        black_box(expand(p, h, &ms, b"res master", h_cf.as_bytes()));
        black_box(exp);
    }

    /// The server's share of the floor.
    #[inline(never)]
    pub fn server(&self, rng_seed: u64) {
        let (p, h) = (self.provider.as_ref(), self.hash);
        let m = &self.messages;
        let mut t = p.hash(h);
        t.update(&m[CH]);
        // The server's side of the key exchange: for (EC)DHE a key pair completed with the
        // client's share, for a hybrid group an encapsulation to it.
        black_box(
            p.encapsulate(
                self.group,
                &self.client_share,
                &mut *BenchRng::new(rng_seed),
            )
            .unwrap(),
        );
        t.update(&m[SH]);
        let h_sh = t.current();
        let (hs, c_hs, s_hs) = handshake_secrets(p, h, &self.constants, &self.shared, &h_sh);
        let (s_key, s_iv) = traffic_key(p, h, self.aead, &s_hs);
        let (c_key, c_iv) = traffic_key(p, h, self.aead, &c_hs);
        t.update(&m[EE]);
        t.update(&m[CT]);
        let h_ct = t.current();
        black_box(
            self.server_key
                .sign(
                    self.scheme,
                    &server_cv_content(&h_ct),
                    &mut *BenchRng::new(rng_seed),
                )
                .unwrap(),
        );
        t.update(&m[CV]);
        let h_cv = t.current();
        black_box(finished_mac(p, h, &s_hs, &h_cv));
        let mut flight = m[EE..=SF].concat();
        flight.push(22);
        black_box(
            s_key
                .seal_in_place(&s_iv, &header(flight.len()), &mut flight)
                .unwrap(),
        );
        t.update(&m[SF]);
        let h_sf = t.current();
        let (_, [c_ap, s_ap, exp]) = application_secrets(p, h, &self.constants, &hs, &h_sf);
        black_box(traffic_key(p, h, self.aead, &c_ap));
        black_box(traffic_key(p, h, self.aead, &s_ap));
        let (mut finished, tag) = self.client_finished.clone();
        c_key
            .open_in_place(&c_iv, &header(finished.len()), &mut finished, &tag)
            .unwrap();
        black_box(finished_mac(p, h, &c_hs, &h_sf));
        black_box(exp);
    }
}

/// The seven handshake messages of a traced handshake of `sc`, in order.
fn traced_messages(stack: &LucidStack, sc: Scenario) -> [Vec<u8>; 7] {
    let mut client_config = (*stack.client_config(sc, false)).clone();
    client_config.trace = true;
    let client_config = Arc::new(client_config);
    let server_config = stack.server_config(sc, ServerKind::Plain);
    let mut times = super::SideTimes::default();
    let mut pair =
        super::lucid::handshake(&client_config, &server_config, None, false, 9, &mut times);
    let mut messages = Vec::new();
    while let Some(event) = pair.client.poll_trace() {
        if let TraceEvent::HandshakeMessage {
            direction, bytes, ..
        } = event
        {
            messages.push((direction, bytes));
        }
    }
    assert_eq!(messages.len(), 7, "a 1-RTT handshake has seven messages");
    assert_eq!(messages[CH].0, Direction::Sent);
    messages
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect::<Vec<_>>()
        .try_into()
        .unwrap()
}
