//! Writes three files into OUT_DIR for the firmware:
//!
//! - `memory.x`, the linker's memory map, from `link/memory.x.in` with the RAM budget
//!   (environment `MCU_RAM_KIB`, default 64) filled in. It must not sit in the package root:
//!   the linker would silently prefer that copy.
//! - `build_info.rs`: the build time (the board has no clock: its time is this plus the
//!   time the counter measured since reset) and the memory budget.
//! - `vectors.rs`: the known answers the self-test checks, taken from the RFC 8448 vectors
//!   that `tools/extract_rfc8448.py` extracted, and from `vectors/p256.txt` (OpenSSL), so
//!   that no value is copied by hand.
//! - `pki.rs`: the certificates the TLS client trusts, from the directory `MCU_PKI_DIR`
//!   (`ca.der`, the CA certificate, `server.der`, the server's, and `client.der` with
//!   `client-key.der`, the board's own for mutual TLS, and `server-spki.der`, the server's
//!   public key that the image without X.509 pins), which `./run` makes
//!   with openssl before building. Without it the firmware builds, but its TLS mode fails.

use std::collections::BTreeMap;
use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The vectors the firmware uses: (file, actor, heading prefix, which match, label, name).
const VECTORS: &[(&str, &str, &str, usize, &str, &str)] = &[
    // RFC 8448 §3: X25519.
    (
        "simple",
        "client",
        "create an ephemeral x25519",
        0,
        "private key",
        "CLIENT_X25519_PRIVATE",
    ),
    (
        "simple",
        "client",
        "create an ephemeral x25519",
        0,
        "public key",
        "CLIENT_X25519_PUBLIC",
    ),
    (
        "simple",
        "server",
        "create an ephemeral x25519",
        0,
        "public key",
        "SERVER_X25519_PUBLIC",
    ),
    (
        "simple",
        "server",
        "extract secret \"handshake\"",
        0,
        "IKM",
        "SHARED_SECRET",
    ),
    // RFC 8448 §3: the transcript's messages.
    (
        "simple",
        "client",
        "construct a ClientHello",
        0,
        "ClientHello",
        "CLIENT_HELLO",
    ),
    (
        "simple",
        "server",
        "construct a ServerHello",
        0,
        "ServerHello",
        "SERVER_HELLO",
    ),
    (
        "simple",
        "server",
        "construct an EncryptedExtensions",
        0,
        "EncryptedExtensions",
        "ENCRYPTED_EXTENSIONS",
    ),
    (
        "simple",
        "server",
        "construct a Certificate",
        0,
        "Certificate",
        "CERTIFICATE",
    ),
    (
        "simple",
        "server",
        "construct a CertificateVerify",
        0,
        "CertificateVerify",
        "CERTIFICATE_VERIFY",
    ),
    (
        "simple",
        "server",
        "construct a Finished",
        0,
        "Finished",
        "SERVER_FINISHED",
    ),
    // RFC 8448 §3: the key schedule.
    (
        "simple",
        "server",
        "extract secret \"handshake\"",
        0,
        "secret",
        "HANDSHAKE_SECRET",
    ),
    (
        "simple",
        "server",
        "derive secret \"tls13 c hs traffic\"",
        0,
        "expanded",
        "CLIENT_HS_TRAFFIC",
    ),
    (
        "simple",
        "server",
        "derive secret \"tls13 s hs traffic\"",
        0,
        "expanded",
        "SERVER_HS_TRAFFIC",
    ),
    (
        "simple",
        "server",
        "extract secret \"master\"",
        0,
        "secret",
        "MAIN_SECRET",
    ),
    (
        "simple",
        "server",
        "derive write traffic keys for handshake data",
        0,
        "key expanded",
        "SERVER_HS_KEY",
    ),
    (
        "simple",
        "server",
        "derive write traffic keys for handshake data",
        0,
        "iv expanded",
        "SERVER_HS_IV",
    ),
    (
        "simple",
        "server",
        "calculate finished",
        0,
        "finished",
        "SERVER_FINISHED_VERIFY_DATA",
    ),
    (
        "simple",
        "server",
        "derive secret \"tls13 c ap traffic\"",
        0,
        "expanded",
        "CLIENT_AP_TRAFFIC",
    ),
    (
        "simple",
        "server",
        "derive secret \"tls13 s ap traffic\"",
        0,
        "expanded",
        "SERVER_AP_TRAFFIC",
    ),
    // RFC 8448 §3: the server's encrypted flight (EncryptedExtensions .. Finished).
    (
        "simple",
        "server",
        "send handshake record",
        1,
        "payload",
        "SERVER_FLIGHT_PAYLOAD",
    ),
    (
        "simple",
        "server",
        "send handshake record",
        1,
        "complete record",
        "SERVER_FLIGHT_RECORD",
    ),
    // OpenSSL's P-256 answers.
    (
        "p256",
        "a",
        "P-256 key pair",
        0,
        "private key",
        "P256_A_PRIVATE",
    ),
    (
        "p256",
        "a",
        "P-256 key pair",
        0,
        "public key",
        "P256_A_PUBLIC",
    ),
    (
        "p256",
        "b",
        "P-256 key pair",
        0,
        "public key",
        "P256_B_PUBLIC",
    ),
    (
        "p256",
        "a",
        "ECDH with b",
        0,
        "shared secret",
        "P256_SHARED_SECRET",
    ),
    ("p256", "a", "ECDSA sign", 0, "message", "ECDSA_MESSAGE"),
    ("p256", "a", "ECDSA sign", 0, "signature", "ECDSA_SIGNATURE"),
];

/// One `[actor] heading` block of a vectors file: its labels and values.
struct Block {
    actor: String,
    heading: String,
    values: BTreeMap<String, Vec<u8>>,
}

fn parse_vectors(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix('[') {
            let (actor, heading) = rest.split_once("] ").expect("a block heading");
            blocks.push(Block {
                actor: actor.to_string(),
                heading: heading.to_string(),
                values: BTreeMap::new(),
            });
        } else if let Some((label, hex)) = line.split_once('=') {
            let block = blocks.last_mut().expect("a value inside a block");
            block
                .values
                .insert(label.trim().to_string(), decode_hex(hex.trim()));
        }
    }
    blocks
}

fn decode_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex"))
        .collect()
}

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());

    // The memory map, with the RAM budget.
    let ram_kib: u32 = env_number("MCU_RAM_KIB", 64);
    // The stack reserve in KiB, or in bytes (MCU_STACK_BYTES, a multiple of 8), to split a
    // small budget between stack and heap more finely.
    let stack_bytes: u32 = match env::var("MCU_STACK_BYTES") {
        Ok(_) => env_number("MCU_STACK_BYTES", 0),
        Err(_) => env_number("MCU_STACK_KIB", 28) * 1024,
    };
    assert!(
        stack_bytes < ram_kib * 1024 && stack_bytes % 8 == 0,
        "the stack reserve must leave room for the heap, and be a multiple of 8 bytes"
    );
    let template = fs::read_to_string(manifest.join("link/memory.x.in")).unwrap();
    fs::write(
        out.join("memory.x"),
        template.replace("@RAM_KIB@", &ram_kib.to_string()),
    )
    .unwrap();
    println!("cargo:rustc-link-search={}", out.display());

    // The build time: SOURCE_DATE_EPOCH if set (reproducible builds), else now.
    let build_secs = match env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s.trim().parse().expect("SOURCE_DATE_EPOCH: seconds"),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs(),
    };
    let info = format!(
        "/// The time this firmware was built, in seconds since the UNIX epoch.\n\
         pub const BUILD_UNIX_SECS: u64 = {build_secs};\n\
         /// The RAM budget memory.x gives the firmware, in bytes.\n\
         pub const RAM_BUDGET: usize = {};\n\
         /// The RAM kept for the stack; the heap gets the rest of the budget.\n\
         pub const STACK_RESERVE: usize = {};\n",
        ram_kib * 1024,
        stack_bytes
    );
    fs::write(out.join("build_info.rs"), info).unwrap();

    // The known answers.
    let files = [
        ("simple", manifest.join("../../vectors/rfc8448/simple.txt")),
        ("p256", manifest.join("vectors/p256.txt")),
    ];
    let mut parsed = BTreeMap::new();
    for (name, path) in &files {
        parsed.insert(*name, parse_vectors(&read(path)));
    }
    let mut code = String::from("// Generated by build.rs from the vectors files; do not edit.\n");
    for &(file, actor, prefix, nth, label, name) in VECTORS {
        let block = parsed[file]
            .iter()
            .filter(|b| b.actor == actor && b.heading.starts_with(prefix))
            .nth(nth)
            .unwrap_or_else(|| panic!("{file}: no block #{nth} [{actor}] {prefix}"));
        let value = block
            .values
            .get(label)
            .unwrap_or_else(|| panic!("{file}: [{actor}] {prefix}: no {label}"));
        let bytes: Vec<String> = value.iter().map(|b| format!("0x{b:02x}")).collect();
        writeln!(
            code,
            "/// {file}: [{actor}] {}: {label}\npub const {name}: [u8; {}] = [{}];",
            block.heading,
            value.len(),
            bytes.join(", ")
        )
        .unwrap();
    }
    fs::write(out.join("vectors.rs"), code).unwrap();

    // The certificates.
    let pki = match env::var("MCU_PKI_DIR") {
        Ok(dir) => {
            let dir = PathBuf::from(dir);
            let mut code = String::new();
            for (name, file) in [
                ("CA_CERT", "ca.der"),
                ("SERVER_CERT", "server.der"),
                ("SERVER_KEY", "server-key.der"),
                ("CLIENT_CERT", "client.der"),
                ("CLIENT_KEY", "client-key.der"),
                ("SERVER_SPKI", "server-spki.der"),
            ] {
                let path = dir.join(file);
                assert!(path.is_file(), "MCU_PKI_DIR: {} is missing", path.display());
                println!("cargo:rerun-if-changed={}", path.display());
                writeln!(
                    code,
                    "pub const {name}: &[u8] = include_bytes!({:?});",
                    path.display().to_string()
                )
                .unwrap();
            }
            code
        }
        Err(_) => "pub const CA_CERT: &[u8] = &[];\npub const SERVER_CERT: &[u8] = &[];\n\
                   pub const SERVER_KEY: &[u8] = &[];\npub const CLIENT_CERT: &[u8] = &[];\n\
                   pub const CLIENT_KEY: &[u8] = &[];\npub const SERVER_SPKI: &[u8] = &[];\n"
            .into(),
    };
    fs::write(out.join("pki.rs"), pki).unwrap();

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=MCU_PKI_DIR");
    println!("cargo:rerun-if-changed=link/memory.x.in");
    println!("cargo:rerun-if-env-changed=MCU_RAM_KIB");
    println!("cargo:rerun-if-env-changed=MCU_STACK_KIB");
    println!("cargo:rerun-if-env-changed=MCU_STACK_BYTES");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    for (_, path) in &files {
        println!("cargo:rerun-if-changed={}", path.display());
    }
}

fn env_number(name: &str, default: u32) -> u32 {
    match env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}: a number")),
        Err(_) => default,
    }
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
