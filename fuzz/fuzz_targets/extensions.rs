//! Any bytes given to the extension-list decoder, in any message context, either fail with
//! an error or decode to extensions that re-encode to exactly the bytes given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lucid_tls::codec::{Reader, Writer};
use lucid_tls::wire::extensions::{ExtensionContext, decode_extensions, encode_extensions};

const CONTEXTS: [ExtensionContext; 7] = [
    ExtensionContext::ClientHello,
    ExtensionContext::ServerHello,
    ExtensionContext::HelloRetryRequest,
    ExtensionContext::EncryptedExtensions,
    ExtensionContext::CertificateRequest,
    ExtensionContext::Certificate,
    ExtensionContext::NewSessionTicket,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let ctx = CONTEXTS[usize::from(selector) % CONTEXTS.len()];
    let mut r = Reader::new(bytes);
    if let Ok(list) = decode_extensions(&mut r, ctx) {
        let consumed = r.position();
        let mut w = Writer::new();
        encode_extensions(&mut w, &list);
        let encoded = w.finish().expect("a decoded list re-encodes");
        assert_eq!(
            encoded,
            &bytes[..consumed],
            "re-encoding differs from the input"
        );
    }
});
