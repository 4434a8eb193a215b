//! [`TicketStore`]: the tickets a client keeps, at most a configured number, newest kept.
//!
//! A server may send any number of NewSessionTickets (RFC 9846 §4.7.1: "Servers MAY send
//! multiple tickets on a single connection"), and one 16 KiB record holds hundreds of
//! small ones. Whatever keeps them for later must be bounded, or a server decides how much
//! memory the client spends. The store drops the oldest ticket when a new one arrives and
//! it is full: the newest tickets are the ones that live longest, and RFC 9846
//! Appendix C.4 says "Clients SHOULD NOT reuse a ticket for multiple connections", so a
//! client needs only as many as it will open connections soon.
//!
//! Not here: keeping tickets across restarts ([`Ticket::to_bytes`]), or choosing which
//! ticket fits a server (the application knows its server names).

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::connection::Ticket;

/// At most `capacity` tickets, oldest first; the oldest goes when a new one does not fit.
#[derive(Debug)]
pub struct TicketStore {
    tickets: VecDeque<Ticket>,
    capacity: usize,
}

impl TicketStore {
    /// How many tickets a [`crate::client::ClientConfig`] keeps by default.
    pub const DEFAULT_CAPACITY: usize = 8;

    /// An empty store of at most `capacity` tickets (0 keeps none).
    pub fn new(capacity: usize) -> Self {
        Self {
            tickets: VecDeque::new(),
            capacity,
        }
    }

    /// Keeps `ticket`, dropping the oldest ticket if the store is full.
    pub fn push(&mut self, ticket: Ticket) {
        if self.capacity == 0 {
            return;
        }
        while self.tickets.len() >= self.capacity {
            self.tickets.pop_front();
        }
        self.tickets.push_back(ticket);
    }

    /// The newest ticket, taken out of the store.
    pub fn take_newest(&mut self) -> Option<Ticket> {
        self.tickets.pop_back()
    }

    /// Every ticket, oldest first; the store is left empty.
    pub fn take_all(&mut self) -> Vec<Ticket> {
        self.tickets.drain(..).collect()
    }

    /// How many tickets are kept now.
    pub fn len(&self) -> usize {
        self.tickets.len()
    }

    /// True if no ticket is kept.
    pub fn is_empty(&self) -> bool {
        self.tickets.is_empty()
    }

    /// The most tickets the store keeps.
    pub fn capacity(&self) -> usize {
        self.capacity
    }
}

impl Default for TicketStore {
    fn default() -> Self {
        Self::new(Self::DEFAULT_CAPACITY)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connection::CertificateChain;
    use crate::crypto::Secret;
    use crate::time::Time;
    use crate::wire::algorithms::CipherSuite;

    fn ticket(n: u8) -> Ticket {
        Ticket {
            server_name: None,
            cipher_suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            psk: Secret::new(&[n; 32]),
            ticket: alloc::vec![n],
            ticket_age_add: 0,
            lifetime_secs: 10,
            received_at: Time::from_unix_secs(0),
            max_early_data_size: None,
            alpn: None,
            server_certificates: CertificateChain::default(),
        }
    }

    #[test]
    fn test_store_keeps_the_newest() {
        let mut store = TicketStore::new(3);
        for n in 0..10 {
            store.push(ticket(n));
            assert!(store.len() <= 3);
        }
        assert_eq!(store.take_newest().unwrap().ticket, [9]);
        let rest: Vec<Vec<u8>> = store.take_all().into_iter().map(|t| t.ticket).collect();
        assert_eq!(rest, [[7], [8]]);
        assert!(store.is_empty());

        let mut none = TicketStore::new(0);
        none.push(ticket(1));
        assert!(none.is_empty());
    }
}
