//! A `no_std` consumer of lucid-tls. It is built, never run: the point is that it links
//! without std. See Cargo.toml.
#![no_std]

extern crate alloc;

use core::alloc::{GlobalAlloc, Layout};
use lucid_tls::crypto::{CryptoProvider, HashAlgorithm};

/// An allocator that never allocates: this library is never run, only built.
struct NoAlloc;

// SAFETY: returning null is a valid "allocation failed" answer for GlobalAlloc.
unsafe impl GlobalAlloc for NoAlloc {
    unsafe fn alloc(&self, _layout: Layout) -> *mut u8 {
        core::ptr::null_mut()
    }
    unsafe fn dealloc(&self, _ptr: *mut u8, _layout: Layout) {}
}

#[global_allocator]
static ALLOCATOR: NoAlloc = NoAlloc;

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

/// Touches the crate's core so that its code (and its dependencies') is really linked in.
#[unsafe(no_mangle)]
pub extern "C" fn lucid_tls_nostd_check(input: *const u8, len: usize) -> usize {
    let _ = (input, len);
    let provider = lucid_tls::crypto::rustcrypto::RustCryptoProvider::default();
    let mut h = provider.hash(HashAlgorithm::Sha256);
    h.update(b"no_std");
    h.current().as_bytes().len()
}
