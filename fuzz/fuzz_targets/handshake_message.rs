//! Any bytes given to the handshake-message decoder either fail with an error or decode to
//! a message that re-encodes to exactly the bytes given (parse and emit are mirror images).
#![no_main]

use libfuzzer_sys::fuzz_target;
use lucid_tls::wire::handshake::HandshakeMessage;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the negotiated hash length that Finished is decoded with.
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let hash_len = match selector % 3 {
        0 => None,
        1 => Some(32),
        _ => Some(48),
    };
    if let Ok(message) = HandshakeMessage::decode(bytes, hash_len) {
        let encoded = message.encode().expect("a decoded message re-encodes");
        assert_eq!(encoded, bytes, "re-encoding differs from the input");
    }
});
