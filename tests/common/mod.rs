//! Shared support for the integration tests.
#![allow(dead_code)]

pub mod check;
pub mod later;
pub mod nss;
pub mod pair;
pub mod replay_rng;
pub mod reseal;
pub mod server_replay;
pub mod vectors;
