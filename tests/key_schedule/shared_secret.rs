//! Test support for `rfc8448_key_schedule`: the (EC)DHE shared secret computed on both
//! sides from the RFC's own key pairs (X25519, or P-256 in §5), checking that the provider
//! derives the RFC's public keys and that both sides agree.

use lucid_tls::crypto::{CryptoProvider, Secret};
use lucid_tls::wire::algorithms::NamedGroup;

use crate::checks::Checks;
use crate::common::vectors::{Block, Trace};
use crate::recorder::Replay;

/// The group and private key of the `actor`'s last "create an ephemeral ... key pair" block
/// in `group_name` ("x25519" or "P-256"), and that block's index.
fn key_pair<'t>(trace: &'t Trace, actor: &str, group_name: &str) -> (usize, &'t Block) {
    let heading = format!("create an ephemeral {group_name} key pair");
    trace
        .blocks
        .iter()
        .enumerate()
        .rev()
        .find(|(_, b)| b.actor == actor && b.heading == heading)
        .unwrap_or_else(|| panic!("{}: no [{actor}] {heading}", trace.name))
}

/// Computes the shared secret on both sides from the RFC's private keys, checking that the
/// provider derives the RFC's public keys and that both sides agree.
pub fn shared_secret(provider: &dyn CryptoProvider, trace: &Trace, checks: &mut Checks) -> Secret {
    let group_name = if trace.name == "hrr" {
        "P-256"
    } else {
        "x25519"
    };
    let group = match group_name {
        "P-256" => NamedGroup::Secp256r1,
        _ => NamedGroup::X25519,
    };
    let (client_index, client) = key_pair(trace, "client", group_name);
    let (server_index, server) = key_pair(trace, "server", group_name);
    let mut secrets = Vec::new();
    for (index, ours, peer) in [
        (client_index, client, server),
        (server_index, server, client),
    ] {
        let mut rng = Replay(ours.get("private key").to_vec());
        let share = provider.start_key_exchange(group, &mut rng).unwrap();
        checks.value(trace, index, "public key", share.public_key());
        secrets.push(share.complete(peer.get("public key")).unwrap());
    }
    assert_eq!(secrets[0].as_bytes(), secrets[1].as_bytes());
    secrets.remove(0)
}
