//! Shared support for the integration tests.
#![allow(dead_code)]

pub mod check;
pub mod nss;
pub mod replay_rng;
pub mod vectors;
