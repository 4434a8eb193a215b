//! The bridge between the browser page (`site/`) and lucid-tls's client and server engines,
//! compiled to WebAssembly (`wasm32-unknown-unknown`, `no_std` with `alloc`).
//!
//! The page and the bridge talk in JSON through linear memory, with three exported
//! functions:
//!
//! ```text
//!   ptr = request_buffer(len)      the bridge sizes its request buffer; the page writes
//!                                  `len` bytes of JSON at `ptr`
//!   len = handle_request()         the bridge answers; the answer is JSON too
//!   ptr = response_ptr()           where the answer's `len` bytes are
//! ```
//!
//! Requests (see `site/app.js`):
//!
//! | `op`    | answer                                                                  |
//! |---------|-------------------------------------------------------------------------|
//! | `info`  | the five RFC 8448 traces, and the suites and groups the provider runs   |
//! | `run`   | one scenario run to its end: every flight with its trace events, decoded and checked (see [`run`]) |
//!
//! A run is a pure function of its request: an RFC 8448 trace replays the RFC's randomness,
//! a live handshake draws from a ChaCha20 stream seeded with the page's
//! `crypto.getRandomValues` bytes, passed in the request. So the page steps back by
//! showing less of the same run, and tampering with a flight is the same request with the
//! edit added: everything before the edited flight comes out the same.
//!
//! Not here: the page itself, the pcap writer (the page builds it from the flights' bytes).
#![no_std]
#![deny(unsafe_code)]

extern crate alloc;

mod inspect;
mod live;
mod report;
mod rng;
mod run;

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Value, json};

/// The heap. wasm32-unknown-unknown is single-threaded: dlmalloc's global lock is never
/// contended.
#[global_allocator]
static HEAP: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

/// A panic (a bug in the bridge: peer input never panics the library) traps the
/// WebAssembly instance; the page reports the trap. (On other targets, which only `cargo
/// clippy` builds the bridge for, it spins.)
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
    #[cfg(not(target_arch = "wasm32"))]
    loop {}
}

/// The request the page wrote and the answer it reads.
struct Buffers {
    request: Vec<u8>,
    response: Vec<u8>,
}

static BUFFERS: spin::Mutex<Buffers> = spin::Mutex::new(Buffers {
    request: Vec::new(),
    response: Vec::new(),
});

/// Answers one JSON request with one JSON answer; errors become `{"error": "..."}`.
pub fn handle(request: &[u8]) -> Vec<u8> {
    let answer = match serde_json::from_slice::<Value>(request) {
        Ok(request) => match request.get("op").and_then(Value::as_str) {
            Some("info") => Ok(run::info()),
            Some("run") => run::run(&request),
            _ => Err("unknown op".to_string()),
        },
        Err(e) => Err(alloc::format!("request is not JSON: {e}")),
    };
    let answer = answer.unwrap_or_else(|error: String| json!({ "error": error }));
    serde_json::to_vec(&answer).unwrap_or_default()
}

/// The functions the page calls. `no_mangle` is an unsafe attribute (a symbol name could
/// clash with another one at link time); these three names are unique to this crate, and
/// nothing else in the bridge uses unsafe code. The pointers they return are into the
/// bridge's own buffers, which the page reads or writes within their lengths, between calls.
#[allow(unsafe_code)]
mod exports {
    use super::BUFFERS;

    /// Makes the request buffer `len` bytes long and returns where the page writes it.
    #[unsafe(no_mangle)]
    pub extern "C" fn request_buffer(len: usize) -> *mut u8 {
        let mut buffers = BUFFERS.lock();
        buffers.request.clear();
        buffers.request.resize(len, 0);
        buffers.request.as_mut_ptr()
    }

    /// Answers the request in the buffer; returns the answer's length.
    #[unsafe(no_mangle)]
    pub extern "C" fn handle_request() -> usize {
        let request = core::mem::take(&mut BUFFERS.lock().request);
        let response = super::handle(&request);
        let len = response.len();
        BUFFERS.lock().response = response;
        len
    }

    /// Where the last answer is.
    #[unsafe(no_mangle)]
    pub extern "C" fn response_ptr() -> *const u8 {
        BUFFERS.lock().response.as_ptr()
    }
}
