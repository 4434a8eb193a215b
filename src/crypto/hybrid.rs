//! The layout of the post-quantum hybrid groups' key shares and shared secrets (RFC 10024,
//! formerly draft-ietf-tls-ecdhe-mlkem): which two parts they join, in which order, and
//! how long each part is.
//!
//! A hybrid group runs two key exchanges at once and joins their outputs, so that the
//! connection stays private unless *both* are broken: ML-KEM-768 (FIPS 203), a lattice
//! key-encapsulation mechanism believed to resist quantum computers, and a classical ECDH
//! that is well understood today. Each `key_exchange` field is the two parts' bytes laid
//! end to end, with no length prefixes, and the shared secret is the two parts' shared
//! secrets laid end to end in the same order:
//!
//! | group               | code   | order           | client share      | server share      | secret  |
//! |---------------------|--------|-----------------|-------------------|-------------------|---------|
//! | `X25519MLKEM768`    | 0x11ec | ML-KEM, then X25519 | 1184 + 32 = 1216 | 1088 + 32 = 1120 | 32 + 32 |
//! | `SecP256r1MLKEM768` | 0x11eb | P-256, then ML-KEM  | 65 + 1184 = 1249 | 65 + 1088 = 1153 | 32 + 32 |
//!
//! The client's ML-KEM part is an encapsulation key (1184 bytes), the server's is a
//! ciphertext (1088 bytes): a KEM is not symmetric the way Diffie-Hellman is. This module
//! only describes the layout (it is what the trace uses to show the parts); the arithmetic
//! is in the provider (`crate::crypto::rustcrypto`, feature `mlkem`).
//!
//! Not here: the pure ML-KEM groups (MLKEM512/768/1024), X448MLKEM1024 and
//! SecP384r1MLKEM1024.

use crate::wire::algorithms::NamedGroup;

/// The length of an ML-KEM-768 encapsulation key: 384·k + 32 with k = 3 (FIPS 203 §8).
pub const MLKEM768_ENCAPSULATION_KEY_LEN: usize = 1184;

/// The length of an ML-KEM-768 ciphertext: 32·(d_u·k + d_v) with d_u = 10, d_v = 4 (FIPS 203
/// §8).
pub const MLKEM768_CIPHERTEXT_LEN: usize = 1088;

/// The length of an ML-KEM shared secret (FIPS 203 §7.2, §7.3), and of an X25519 or P-256
/// shared secret.
pub const PART_SECRET_LEN: usize = 32;

/// One of the two key exchanges a hybrid group joins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HybridPart {
    /// Its name as a learner knows it: `"ML-KEM-768"`, `"X25519"`, `"secp256r1"`.
    pub name: &'static str,
    /// How many bytes of the client's share it takes.
    pub client_share_len: usize,
    /// How many bytes of the server's share it takes.
    pub server_share_len: usize,
    /// How many bytes of the shared secret it gives.
    pub secret_len: usize,
}

/// The ML-KEM-768 part: an encapsulation key from the client, a ciphertext from the server.
const MLKEM768: HybridPart = HybridPart {
    name: "ML-KEM-768",
    client_share_len: MLKEM768_ENCAPSULATION_KEY_LEN,
    server_share_len: MLKEM768_CIPHERTEXT_LEN,
    secret_len: PART_SECRET_LEN,
};

/// The X25519 part: a 32-byte public key from each side (RFC 9846 §4.3.8.2).
const X25519: HybridPart = HybridPart {
    name: "X25519",
    client_share_len: 32,
    server_share_len: 32,
    secret_len: PART_SECRET_LEN,
};

/// The P-256 part: an uncompressed 65-byte point from each side (RFC 9846 §4.3.8.2).
const SECP256R1: HybridPart = HybridPart {
    name: "secp256r1",
    client_share_len: 65,
    server_share_len: 65,
    secret_len: PART_SECRET_LEN,
};

/// A hybrid group's two parts, in the order their bytes appear on the wire and in the
/// shared secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HybridLayout {
    /// The group.
    pub group: NamedGroup,
    /// The first part, then the second.
    pub parts: [HybridPart; 2],
    /// The classical group of the (EC)DH part.
    pub classical: NamedGroup,
}

/// RFC 10024: "X25519MLKEM768": the ML-KEM-768 part comes first.
const X25519_MLKEM768: HybridLayout = HybridLayout {
    group: NamedGroup::X25519MlKem768,
    parts: [MLKEM768, X25519],
    classical: NamedGroup::X25519,
};

/// RFC 10024: "SecP256r1MLKEM768": the ECDH part comes first.
const SECP256R1_MLKEM768: HybridLayout = HybridLayout {
    group: NamedGroup::SecP256r1MlKem768,
    parts: [SECP256R1, MLKEM768],
    classical: NamedGroup::Secp256r1,
};

/// The layout of `group`, or `None` if it is not a hybrid group.
pub fn layout(group: NamedGroup) -> Option<&'static HybridLayout> {
    match group {
        NamedGroup::X25519MlKem768 => Some(&X25519_MLKEM768),
        NamedGroup::SecP256r1MlKem768 => Some(&SECP256R1_MLKEM768),
        _ => None,
    }
}

impl HybridLayout {
    /// The whole client share's length.
    pub fn client_share_len(&self) -> usize {
        self.parts[0].client_share_len + self.parts[1].client_share_len
    }

    /// The whole server share's length.
    pub fn server_share_len(&self) -> usize {
        self.parts[0].server_share_len + self.parts[1].server_share_len
    }

    /// Whether ML-KEM is the first part (X25519MLKEM768) or the second (SecP256r1MLKEM768).
    pub fn mlkem_first(&self) -> bool {
        self.parts[0] == MLKEM768
    }

    /// A client share cut into its two parts, or `None` if its length is wrong.
    pub fn split_client_share<'a>(&self, share: &'a [u8]) -> Option<[&'a [u8]; 2]> {
        split(
            share,
            self.parts[0].client_share_len,
            self.client_share_len(),
        )
    }

    /// A server share cut into its two parts, or `None` if its length is wrong.
    pub fn split_server_share<'a>(&self, share: &'a [u8]) -> Option<[&'a [u8]; 2]> {
        split(
            share,
            self.parts[0].server_share_len,
            self.server_share_len(),
        )
    }

    /// A shared secret cut into its two parts, or `None` if its length is wrong.
    pub fn split_secret<'a>(&self, secret: &'a [u8]) -> Option<[&'a [u8]; 2]> {
        let total = self.parts[0].secret_len + self.parts[1].secret_len;
        split(secret, self.parts[0].secret_len, total)
    }
}

/// `bytes` cut at `first`, if it is exactly `total` long.
fn split(bytes: &[u8], first: usize, total: usize) -> Option<[&[u8]; 2]> {
    if bytes.len() != total {
        return None;
    }
    let (a, b) = bytes.split_at(first);
    Some([a, b])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_share_sizes_rfc10024() {
        let x = layout(NamedGroup::X25519MlKem768).unwrap();
        assert_eq!((x.client_share_len(), x.server_share_len()), (1216, 1120));
        assert!(x.mlkem_first());
        let p = layout(NamedGroup::SecP256r1MlKem768).unwrap();
        assert_eq!((p.client_share_len(), p.server_share_len()), (1249, 1153));
        assert!(!p.mlkem_first());
        assert_eq!(layout(NamedGroup::X25519), None);
    }

    #[test]
    fn test_split_in_wire_order() {
        let x = layout(NamedGroup::X25519MlKem768).unwrap();
        let mut share = alloc::vec![1u8; 1184];
        share.extend_from_slice(&[2u8; 32]);
        let [mlkem, x25519] = x.split_client_share(&share).unwrap();
        assert_eq!((mlkem.len(), x25519.len()), (1184, 32));
        assert!(mlkem.iter().all(|b| *b == 1) && x25519.iter().all(|b| *b == 2));
        assert_eq!(x.split_client_share(&share[1..]), None);
        assert_eq!(x.split_server_share(&share), None);
    }
}
