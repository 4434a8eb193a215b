//! Where the RAM goes, and how much of it the firmware really uses.
//!
//! The RAM budget (memory.x, `MCU_RAM_KIB`) is laid out by cortex-m-rt's linker script:
//!
//! ```text
//!  RAM start                                                              RAM end
//!  | .data .bss (static RAM) | heap (the rest)   ...   | stack reserve, grows down <- |
//!                           __sheap           heap end                         _stack_start
//! ```
//!
//! Before `main`, cortex-m-rt's `paint-stack` feature fills everything from `__sheap` to
//! `_stack_start` with 0xCCCC_CCCC. The stack's high-water mark is then the deepest word
//! that no longer holds the paint. The heap is measured by [`CountingHeap`], a wrapper
//! around embedded-alloc's first-fit allocator that keeps the peak of the bytes in use and
//! the highest address ever handed out (the heap the firmware really needs).
//!
//! Not here: a guard between heap and stack (a Cortex-M4 has no stack limit register;
//! an MPU region would do it on a real board). [`stack_high_water`] reports a reserve that
//! was used up entirely, which means the stack may have run into the heap.

use core::alloc::{GlobalAlloc, Layout};
use core::sync::atomic::{AtomicUsize, Ordering};

use embedded_alloc::LlffHeap;

/// The word cortex-m-rt paints the free RAM with (its `STACK_PAINT_VALUE`).
const PAINT: u32 = 0xcccc_cccc;

/// Where the code and constants start: the board's SSRAM1, which stands in for flash.
const FLASH_ORIGIN: usize = 0x0000_0000;

// Symbols of cortex-m-rt's linker script (link.x). Only their addresses are used.
unsafe extern "C" {
    static __etext: u8;
    static __srodata: u8;
    static __erodata: u8;
    static __sdata: u8;
    static __edata: u8;
    static __sidata: u8;
    static _ram_start: u8;
    static __sheap: u8;
    static _stack_start: u8;
}

/// The heap allocator, counting what it hands out.
pub struct CountingHeap {
    inner: LlffHeap,
    start: AtomicUsize,
    live: AtomicUsize,
    peak_live: AtomicUsize,
    peak_end: AtomicUsize,
    allocations: AtomicUsize,
    failures: AtomicUsize,
    largest: AtomicUsize,
}

/// The heap's figures, in bytes.
pub struct HeapFigures {
    /// The heap's size: the RAM budget less static RAM and the stack reserve.
    pub size: usize,
    /// The most bytes allocated at one time (as requested, before the allocator's rounding).
    pub peak_live: usize,
    /// The highest offset from the heap's start ever handed out: the smallest heap that
    /// would have served the same allocations at the same places.
    pub high_water: usize,
    /// How many allocations were made.
    pub allocations: usize,
    /// How many allocations failed for lack of room.
    pub failures: usize,
    /// The largest single allocation: the contiguous block the heap must be able to find.
    pub largest: usize,
}

impl CountingHeap {
    /// An empty heap; [`CountingHeap::init`] gives it its RAM.
    pub const fn empty() -> Self {
        Self {
            inner: LlffHeap::empty(),
            start: AtomicUsize::new(0),
            live: AtomicUsize::new(0),
            peak_live: AtomicUsize::new(0),
            peak_end: AtomicUsize::new(0),
            allocations: AtomicUsize::new(0),
            failures: AtomicUsize::new(0),
            largest: AtomicUsize::new(0),
        }
    }

    /// Gives the heap all RAM between the static data and the stack reserve. Call once,
    /// first thing in `main`.
    pub fn init(&self, stack_reserve: usize) {
        let start = symbol(&raw const __sheap);
        let end = symbol(&raw const _stack_start).saturating_sub(stack_reserve);
        let size = end.saturating_sub(start);
        assert!(
            size > 0 && self.start.load(Ordering::Relaxed) == 0,
            "heap: no room, or initialised twice"
        );
        self.start.store(start, Ordering::Relaxed);
        self.peak_end.store(start, Ordering::Relaxed);
        // SAFETY: [__sheap, _stack_start - reserve) is RAM that the linker left free (it
        // holds no static), below the stack reserve, and is handed over exactly once.
        unsafe { self.inner.init(start, size) }
    }

    /// The figures so far.
    pub fn figures(&self) -> HeapFigures {
        let start = self.start.load(Ordering::Relaxed);
        HeapFigures {
            size: self.inner.used() + self.inner.free(),
            peak_live: self.peak_live.load(Ordering::Relaxed),
            high_water: self.peak_end.load(Ordering::Relaxed) - start,
            allocations: self.allocations.load(Ordering::Relaxed),
            failures: self.failures.load(Ordering::Relaxed),
            largest: self.largest.load(Ordering::Relaxed),
        }
    }

    /// Starts a new peak from what is allocated now, to measure one phase on its own.
    pub fn reset_peak(&self) {
        let live = self.live.load(Ordering::Relaxed);
        self.peak_live.store(live, Ordering::Relaxed);
    }

    fn note_allocation(&self, ptr: *mut u8, size: usize) {
        if ptr.is_null() {
            self.failures.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.allocations.fetch_add(1, Ordering::Relaxed);
        self.largest.fetch_max(size, Ordering::Relaxed);
        let live = self.live.fetch_add(size, Ordering::Relaxed) + size;
        self.peak_live.fetch_max(live, Ordering::Relaxed);
        self.peak_end
            .fetch_max(ptr as usize + size, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to embedded-alloc's allocator, which upholds
// GlobalAlloc's contract; the wrapper only counts.
unsafe impl GlobalAlloc for CountingHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's promises about `layout` are passed on as they are.
        let ptr = unsafe { self.inner.alloc(layout) };
        self.note_allocation(ptr, layout.size());
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller promises `ptr` came from this allocator with `layout`.
        unsafe { self.inner.dealloc(ptr, layout) };
        self.live.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

/// The stack's figures, in bytes.
pub struct StackFigures {
    /// The RAM kept for the stack.
    pub reserve: usize,
    /// The deepest the stack has been since reset.
    pub high_water: usize,
    /// True if no paint was left: the stack may have run past its reserve into the heap.
    pub exhausted: bool,
}

/// Scans the stack reserve for the deepest word that lost its paint.
pub fn stack_high_water(stack_reserve: usize) -> StackFigures {
    let top = symbol(&raw const _stack_start);
    let bottom = top - stack_reserve;
    let mut address = bottom;
    while address < top && read_ram_word(address) == PAINT {
        address += 4;
    }
    StackFigures {
        reserve: stack_reserve,
        high_water: top - address,
        exhausted: address == bottom,
    }
}

/// Reads one word of the stack reserve.
fn read_ram_word(address: usize) -> u32 {
    // SAFETY: `address` is word-aligned and inside [_stack_start - reserve, _stack_start),
    // RAM that the memory map always backs. Words above the stack pointer belong to live
    // frames; reading them (volatile, without keeping a reference) does not disturb them.
    unsafe { core::ptr::read_volatile(address as *const u32) }
}

/// The firmware's static sizes, in bytes, from the linker's symbols.
pub struct StaticFigures {
    /// Vector table and code.
    pub text: usize,
    /// Constants.
    pub rodata: usize,
    /// Everything in flash: code, constants, and the initial values of `.data`.
    pub flash: usize,
    /// RAM taken before `main` runs: `.data`, `.bss`, `.uninit`.
    pub static_ram: usize,
}

/// Reads the static sizes off the linker's symbols.
pub fn static_figures() -> StaticFigures {
    let data_len = symbol(&raw const __edata) - symbol(&raw const __sdata);
    StaticFigures {
        text: symbol(&raw const __etext) - FLASH_ORIGIN,
        rodata: symbol(&raw const __erodata) - symbol(&raw const __srodata),
        flash: symbol(&raw const __sidata) + data_len - FLASH_ORIGIN,
        static_ram: symbol(&raw const __sheap) - symbol(&raw const _ram_start),
    }
}

fn symbol(address: *const u8) -> usize {
    address as usize
}

/// How far below the stack pointer [`repaint_free_stack`] stops: room for its own frame.
#[cfg(not(feature = "client-only"))] // the per-phase run only
const REPAINT_MARGIN: usize = 256;

/// Paints the free part of the stack reserve again (below the current stack pointer, less a
/// margin), so that [`stack_high_water`] then reports the deepest point reached after this
/// call: the stack of one phase on its own.
#[inline(never)]
#[cfg(not(feature = "client-only"))] // the per-phase run only
pub fn repaint_free_stack(stack_reserve: usize) {
    let bottom = symbol(&raw const _stack_start) - stack_reserve;
    let end = (cortex_m::register::msp::read() as usize).saturating_sub(REPAINT_MARGIN) & !3;
    let mut address = bottom;
    while address < end {
        // SAFETY: `address` is word-aligned, inside the stack reserve and below the stack
        // pointer less a margin that covers this function's own frame: no live frame is
        // there, and the words are only overwritten with the paint.
        unsafe { core::ptr::write_volatile(address as *mut u32, PAINT) };
        address += 4;
    }
}
