//! The client side of TLS 1.3 (RFC 9846 Appendix A.1).

mod ticket;

pub use ticket::Ticket;
