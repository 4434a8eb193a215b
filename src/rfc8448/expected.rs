//! Where RFC 8448 prints each value an engine reports: the block and label of every
//! secret ([`secret_location`]) and traffic key ([`traffic_key`]), so a trace event can be
//! checked against the RFC.

use crate::key_schedule::SecretLabel;
use crate::trace::{Direction, Epoch};

use super::vectors::Trace;
use crate::pair::Side;

/// Every secret RFC 8448 prints somewhere, in key schedule order.
pub const PRINTED_SECRETS: [SecretLabel; 15] = [
    SecretLabel::EarlySecret,
    SecretLabel::ResumptionBinderKey,
    SecretLabel::ClientEarlyTraffic,
    SecretLabel::EarlyExporter,
    SecretLabel::DerivedForHandshake,
    SecretLabel::HandshakeSecret,
    SecretLabel::ClientHandshakeTraffic,
    SecretLabel::ServerHandshakeTraffic,
    SecretLabel::DerivedForMain,
    SecretLabel::MainSecret,
    SecretLabel::ClientApplicationTraffic(0),
    SecretLabel::ServerApplicationTraffic(0),
    SecretLabel::Exporter,
    SecretLabel::Resumption,
    SecretLabel::ResumptionPsk,
];

/// The block heading (a prefix) and value label under which RFC 8448 prints `label`, if
/// it prints it at all. Application secrets after a KeyUpdate are not printed.
pub fn secret_location(label: SecretLabel) -> Option<(&'static str, &'static str)> {
    use SecretLabel as L;
    Some(match label {
        L::EarlySecret => ("extract secret \"early\"", "secret"),
        // The binder key is the PRK of the RFC's binder computation.
        L::ResumptionBinderKey => ("calculate PSK binder", "PRK"),
        L::ClientEarlyTraffic => ("derive secret \"tls13 c e traffic\"", "expanded"),
        L::EarlyExporter => ("derive secret \"tls13 e exp master\"", "expanded"),
        L::DerivedForHandshake => ("derive secret for handshake \"tls13 derived\"", "expanded"),
        L::HandshakeSecret => ("extract secret \"handshake\"", "secret"),
        L::ClientHandshakeTraffic => ("derive secret \"tls13 c hs traffic\"", "expanded"),
        L::ServerHandshakeTraffic => ("derive secret \"tls13 s hs traffic\"", "expanded"),
        L::DerivedForMain => ("derive secret for master \"tls13 derived\"", "expanded"),
        L::MainSecret => ("extract secret \"master\"", "secret"),
        L::ClientApplicationTraffic(0) => ("derive secret \"tls13 c ap traffic\"", "expanded"),
        L::ServerApplicationTraffic(0) => ("derive secret \"tls13 s ap traffic\"", "expanded"),
        L::Exporter => ("derive secret \"tls13 exp master\"", "expanded"),
        L::Resumption => ("derive secret \"tls13 res master\"", "expanded"),
        L::ResumptionPsk => (
            "generate resumption secret \"tls13 resumption\"",
            "expanded",
        ),
        L::ExternalBinderKey | L::ClientApplicationTraffic(_) | L::ServerApplicationTraffic(_) => {
            return None;
        }
    })
}

/// The value of `label` that `trace` prints, if any.
pub fn secret(trace: &Trace, label: SecretLabel) -> Option<&[u8]> {
    let (heading, field) = secret_location(label)?;
    trace.value(heading, field)
}

/// What RFC 8448 calls the data an epoch's keys protect ("derive write traffic keys for
/// handshake data").
pub fn epoch_data(epoch: Epoch) -> Option<&'static str> {
    match epoch {
        Epoch::Initial => None,
        Epoch::Early => Some("early application data"),
        Epoch::Handshake => Some("handshake data"),
        Epoch::Application(0) => Some("application data"),
        Epoch::Application(_) => None,
    }
}

/// The key and IV `trace` prints for what `writer` sends under `epoch`: under the writer's
/// "derive write traffic keys for ..." block, or the reader's "derive read traffic keys
/// for ..." (the RFC prints each pair once and marks the other "same as").
pub fn traffic_key(trace: &Trace, writer: Side, epoch: Epoch) -> Option<(&[u8], &[u8])> {
    let data = epoch_data(epoch)?;
    let write = alloc::format!("derive write traffic keys for {data}");
    let read = alloc::format!("derive read traffic keys for {data}");
    let written = trace.blocks(writer.name(), &write).into_iter();
    written
        .chain(trace.blocks(writer.peer().name(), &read))
        .find_map(|block| {
            Some((
                block.try_get("key expanded")?,
                block.try_get("iv expanded")?,
            ))
        })
}

/// The key and IV `trace` prints for a key `side` installed in `direction`.
pub fn installed_key(
    trace: &Trace,
    side: Side,
    direction: Direction,
    epoch: Epoch,
) -> Option<(&[u8], &[u8])> {
    let writer = match direction {
        Direction::Sent => side,
        Direction::Received => side.peer(),
    };
    traffic_key(trace, writer, epoch)
}

/// The `n`th (from 0) handshake message labelled `label` that `side` constructs in
/// `trace`. The labels are the message names, except that a HelloRetryRequest is printed
/// as a "ServerHello". §4 prints its ClientHello without the binders (the record has the
/// whole message).
pub fn message<'t>(trace: &'t Trace, side: Side, label: &str, n: usize) -> Option<&'t [u8]> {
    trace
        .blocks
        .iter()
        .filter(|b| b.actor == side.name() && b.heading.starts_with("construct"))
        .filter_map(|b| b.try_get(label))
        .nth(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rfc8448::vectors;

    #[test]
    fn test_every_printed_secret_is_found() {
        let simple = vectors::load("simple").unwrap();
        let resumed = vectors::load("resumed").unwrap();
        let found = |trace: &Trace, labels: &[SecretLabel]| {
            labels
                .iter()
                .filter(|l| secret(trace, **l).is_some())
                .count()
        };
        let all = PRINTED_SECRETS;
        // §3 has no PSK: no binder, no early traffic; §4 issues no ticket.
        assert_eq!(found(&simple, &all), 12);
        assert_eq!(found(&resumed, &all), 14);
        let (key, iv) = traffic_key(&simple, Side::Server, Epoch::Handshake).unwrap();
        assert_eq!((key.len(), iv.len()), (16, 12));
        // The client's read key for handshake data is the server's write key.
        assert_eq!(
            installed_key(&simple, Side::Client, Direction::Received, Epoch::Handshake),
            Some((key, iv))
        );
        assert!(traffic_key(&simple, Side::Client, Epoch::Early).is_none());
        let finished = message(&simple, Side::Client, "Finished", 0).unwrap();
        assert_eq!(finished[..4], [0x14, 0, 0, 0x20]);
        assert!(message(&simple, Side::Client, "Finished", 1).is_none());
    }
}
