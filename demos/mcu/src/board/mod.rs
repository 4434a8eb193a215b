//! What the firmware needs from the board, one file each: the transport ([`uart`]), the
//! instruction counter ([`counter`]), time ([`clock`]), randomness ([`rng`]) and memory
//! accounting ([`memory`]). Porting to another board means rewriting these, not the demo.

pub mod clock;
pub mod counter;
pub mod memory;
pub mod mmio;
pub mod rng;
pub mod uart;
