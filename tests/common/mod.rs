//! Shared support for the integration tests.
#![allow(dead_code)]

pub mod check;
pub mod client_replay;
pub mod later;
pub mod nss;
pub mod observed_provider;
pub mod replay_rng;
pub mod reseal;
pub mod server_replay;
pub mod setup;
pub mod vectors;
