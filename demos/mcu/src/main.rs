//! lucid-tls on a Cortex-M4: QEMU's mps2-an386 board, `#![no_std]`, 64 KiB of RAM.
//!
//! Run it with `demos/mcu/run`, which builds this firmware, starts the host's peer and
//! runs QEMU. The firmware:
//!
//! 1. reads the host's first line on UART0, which says what this run is for (or, if the
//!    first byte starts a TLS handshake record, knows that a TLS client connected);
//! 2. either (`echo`) runs known-answer tests of lucid-tls's primitives and layers
//!    ([`selftest`]), reporting what each costs in instructions, and exchanges bytes with
//!    the host's echo peer ([`echo`]); or (`tls`) runs lucid-tls's TLS 1.3 client against
//!    the server the host relays to ([`tls`]); or runs lucid-tls's TLS 1.3 server for the
//!    client that connected ([`tls_server`]);
//! 3. reports its flash and RAM figures, and exits through semihosting with status 0 only
//!    if everything passed.
//!
//! The board pieces (UART, counter, clock, RNG, memory accounting) are in [`board`]; they
//! are what a port to a real board replaces (see docs/embedded.md).
#![no_std]
#![no_main]

extern crate alloc;

mod board;
#[cfg(not(feature = "client-only"))]
mod echo;
mod link;
mod measured;
#[cfg(not(feature = "client-only"))]
mod phases;
mod report;
mod secure_element;
#[cfg(not(feature = "client-only"))]
mod selftest;
mod tls;
#[cfg(feature = "pq")]
mod tls_pq;
#[cfg(feature = "server")]
mod tls_server;

/// The build's constants: build time, RAM budget, stack reserve (written by build.rs).
mod build_info {
    include!(concat!(env!("OUT_DIR"), "/build_info.rs"));
}

use cortex_m_rt::entry;
use cortex_m_semihosting::debug;

use alloc::boxed::Box;

use lucid_tls::crypto::Rng;

use board::counter::Counter;
use board::memory::{self, CountingHeap};
use board::rng::InsecureDemoRng;
use board::uart::Uart0;
use report::figure;

#[global_allocator]
static HEAP: CountingHeap = CountingHeap::empty();

#[panic_handler]
fn panic(info: &core::panic::PanicInfo) -> ! {
    cortex_m_semihosting::hprintln!("panic: {}", info);
    exit(false)
}

/// Ends the QEMU run with status 0 (success) or 1.
fn exit(success: bool) -> ! {
    debug::exit(if success {
        debug::EXIT_SUCCESS
    } else {
        debug::EXIT_FAILURE
    });
    // Only reached without a debugger attached (a real board): stop here.
    loop {
        cortex_m::asm::wfi();
    }
}

#[entry]
fn main() -> ! {
    HEAP.init(build_info::STACK_RESERVE);
    let counter = Counter::start();
    figure(
        "counter instructions per tick",
        counter.instructions_per_tick(),
    );
    figure(
        "rng",
        "INSECURE demo DRBG, predictable seed (QEMU has no TRNG; see board/rng.rs)",
    );
    figure(
        "time (unix seconds, build time + counter)",
        board::clock::now(&counter).as_unix_secs(),
    );

    // The seed is predictable: see board/rng.rs. A real board seeds from its TRNG.
    let mut seed = [0u8; 16];
    seed[..8].copy_from_slice(&counter.instructions_since_start().to_be_bytes());
    seed[8..].copy_from_slice(&build_info::BUILD_UNIX_SECS.to_be_bytes());
    #[cfg_attr(feature = "client-only", allow(unused_mut))]
    let mut rng: Box<dyn Rng + Send> = Box::new(InsecureDemoRng::from_predictable_seed(&seed));

    // The host's peer says what this run is for.
    let mut uart = Uart0::init();
    let mut failures = match read_mode(&mut uart, &counter) {
        #[cfg(not(feature = "client-only"))]
        Some(Mode::Echo) => {
            HEAP.reset_peak();
            let mut failures = selftest::run(&counter);
            failures += selftest::demo_rng(&counter, &mut *rng);
            figure("selftest heap peak live bytes", HEAP.figures().peak_live);
            failures + echo::run(&mut uart, &counter)
        }
        Some(Mode::Tls) => tls::run(&mut uart, &counter, rng, tls::Expect::Trusted),
        Some(Mode::TlsUntrusted) => tls::run(&mut uart, &counter, rng, tls::Expect::Untrusted),
        Some(Mode::TlsMutual) => tls::run(&mut uart, &counter, rng, tls::Expect::Mutual),
        #[cfg(not(feature = "client-only"))]
        Some(Mode::TlsPhases) => phases::run(&mut uart, &counter, rng),
        #[cfg(feature = "server")]
        Some(Mode::TlsServer { first }) => tls_server::run(&mut uart, &counter, rng, first),
        #[cfg(feature = "pq")]
        Some(Mode::TlsPq) => tls_pq::run(&mut uart, &counter, rng),
        None => {
            figure(
                "uart0 mode line",
                "FAILED (no \"lucid-mcu MODE\" line from the host)",
            );
            1
        }
    };

    if !report_memory() {
        failures += 1;
    }
    figure("failures", failures);
    exit(failures == 0)
}

/// What the host's peer (demos/mcu/host/peer.py) asks the firmware to do.
enum Mode {
    /// Echo test: the peer sends back what it receives.
    #[cfg(not(feature = "client-only"))]
    Echo,
    /// TLS client: the peer relays to a TLS server with a certificate from the demo CA.
    Tls,
    /// TLS client: the peer relays to a server whose certificate must be refused.
    TlsUntrusted,
    /// TLS client, stack and heap measured per handshake phase ([`phases`]).
    #[cfg(not(feature = "client-only"))]
    TlsPhases,
    /// TLS client with its own certificate (mutual TLS), the key in a stand-in secure
    /// element ([`secure_element`]).
    TlsMutual,
    /// TLS client in the post-quantum hybrid X25519MLKEM768 (feature `pq`): the peer
    /// relays to lucid-tls's examples/server.
    #[cfg(feature = "pq")]
    TlsPq,
    /// TLS server: a TLS client (`openssl s_client`) connected to QEMU's UART0 socket and
    /// sent its ClientHello, which starts with `first`.
    #[cfg(feature = "server")]
    TlsServer { first: u8 },
}

#[cfg(feature = "server")]
/// The first byte of a handshake record (ContentType handshake, RFC 9846 §5.1): a client
/// speaking first rather than the host's peer.
const HANDSHAKE_RECORD: u8 = 0x16;

/// The longest mode line accepted.
const MODE_LINE_MAX: usize = 32;
/// How long to wait for it: 10^10 instructions, 10 s of virtual time.
const MODE_TIMEOUT_INSTRUCTIONS: u64 = 10_000_000_000;

/// Reads the peer's first line: `lucid-mcu echo`, `lucid-mcu tls` or
/// `lucid-mcu tls-untrusted`; or, if a TLS client speaks first, the server mode.
fn read_mode(uart: &mut Uart0, counter: &Counter) -> Option<Mode> {
    let start = counter.now();
    let mut line = [0u8; MODE_LINE_MAX];
    let mut len = 0;
    while counter.instructions_since(start) < MODE_TIMEOUT_INSTRUCTIONS {
        let Some(byte) = uart.try_read_byte() else {
            continue;
        };
        #[cfg(feature = "server")]
        if len == 0 && byte == HANDSHAKE_RECORD {
            return Some(Mode::TlsServer { first: byte });
        }
        if byte == b'\n' {
            return match &line[..len] {
                #[cfg(not(feature = "client-only"))]
                b"lucid-mcu echo" => Some(Mode::Echo),
                b"lucid-mcu tls" => Some(Mode::Tls),
                b"lucid-mcu tls-untrusted" => Some(Mode::TlsUntrusted),
                #[cfg(not(feature = "client-only"))]
                b"lucid-mcu tls-phases" => Some(Mode::TlsPhases),
                b"lucid-mcu tls-mutual" => Some(Mode::TlsMutual),
                #[cfg(feature = "pq")]
                b"lucid-mcu tls-pq" => Some(Mode::TlsPq),
                _ => None,
            };
        }
        *line.get_mut(len)? = byte;
        len += 1;
    }
    None
}

/// The flash and RAM figures; false if the stack used up its reserve.
fn report_memory() -> bool {
    let statics = memory::static_figures();
    let heap = HEAP.figures();
    let stack = memory::stack_high_water(build_info::STACK_RESERVE);
    figure("flash text bytes", statics.text);
    figure("flash rodata bytes", statics.rodata);
    figure("flash total bytes", statics.flash);
    figure("ram budget bytes", build_info::RAM_BUDGET);
    figure("static ram bytes", statics.static_ram);
    figure("heap bytes", heap.size);
    figure("heap peak live bytes", heap.peak_live);
    figure("heap high-water bytes", heap.high_water);
    figure("heap allocations", heap.allocations);
    figure("heap largest allocation bytes", heap.largest);
    figure("heap failed allocations", heap.failures);
    figure("stack reserve bytes", stack.reserve);
    figure("stack high-water bytes", stack.high_water);
    if stack.exhausted {
        figure("stack", "EXHAUSTED: the stack may have run into the heap");
    }
    !stack.exhausted
}
