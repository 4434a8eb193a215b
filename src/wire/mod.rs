//! The wire formats of TLS 1.3: every structure RFC 9846 defines, each able to parse
//! itself from received bytes and emit itself to bytes, with the two side by side.
//!
//! This module holds formats only: no state, no crypto, no decisions. A decoder checks what
//! the *syntax* demands (lengths, bounds, trailing bytes, duplicated extensions); what the
//! *protocol* demands of a message in a given state is checked by the engines.

pub mod alert;
pub mod algorithm_names;
pub mod algorithms;
pub mod certificate;
pub mod certificate_request;
pub mod certificate_verify;
pub mod client_hello;
pub mod codes;
pub mod encrypted_extensions;
pub mod end_of_early_data;
pub mod extensions;
pub mod finished;
pub mod handshake;
pub mod key_update;
pub mod message_hash;
pub mod new_session_ticket;
pub mod record;
pub mod server_hello;
