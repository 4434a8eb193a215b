//! Writes a handshake's records as a pcap capture: one synthetic TCP connection between
//! 10.0.0.1:50000 (client) and 10.0.0.2:443 (server), with a three-way handshake, one
//! segment per flight, and a closing FIN exchange, so that Wireshark or tshark reassemble
//! the TLS stream. With the key log the walkthrough writes,
//! `tshark -r FILE -o tls.keylog_file:KEYS` decrypts it.
//!
//! The packets are Ethernet II / IPv4 / TCP, with correct IPv4 and TCP checksums. The
//! capture file itself is written by the `pcap-file` crate.

use std::fs::File;
use std::io;
use std::path::Path;
use std::time::Duration;

use lucid_tls::pair::Side;
use pcap_file::pcap::{PcapPacket, PcapWriter};

const CLIENT_IP: [u8; 4] = [10, 0, 0, 1];
const SERVER_IP: [u8; 4] = [10, 0, 0, 2];
const CLIENT_PORT: u16 = 50000;
const SERVER_PORT: u16 = 443;
const CLIENT_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x01];
const SERVER_MAC: [u8; 6] = [0x02, 0, 0, 0, 0, 0x02];
/// Large flights are cut into segments of at most this many bytes.
const MAX_SEGMENT: usize = 1400;

const SYN: u8 = 0x02;
const ACK: u8 = 0x10;
const PSH_ACK: u8 = 0x18;
const FIN_ACK: u8 = 0x11;

/// Builds the packets of one TCP connection carrying `flights` (who sent, what bytes), in
/// order.
pub struct TcpStream {
    packets: Vec<Vec<u8>>,
    /// The next sequence number each side sends: client, server.
    next_seq: [u32; 2],
}

impl TcpStream {
    /// A connection, opened with SYN, SYN-ACK, ACK.
    pub fn new() -> Self {
        let mut stream = Self {
            packets: Vec::new(),
            next_seq: [0x1000_0000, 0x2000_0000],
        };
        stream.segment(Side::Client, SYN, &[]);
        stream.segment(Side::Server, SYN | ACK, &[]);
        stream.segment(Side::Client, ACK, &[]);
        stream
    }

    /// `from` sends `bytes`, in segments of at most `MAX_SEGMENT` bytes.
    pub fn send(&mut self, from: Side, bytes: &[u8]) {
        for chunk in bytes.chunks(MAX_SEGMENT) {
            self.segment(from, PSH_ACK, chunk);
        }
    }

    /// Closes the connection: FIN from each side, then the last ACK.
    pub fn close(&mut self) {
        self.segment(Side::Client, FIN_ACK, &[]);
        self.segment(Side::Server, FIN_ACK, &[]);
        self.segment(Side::Client, ACK, &[]);
    }

    /// Writes the capture to `path`, one packet per millisecond.
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let file = File::create(path)?;
        let mut writer = PcapWriter::new(file).map_err(io::Error::other)?;
        for (i, packet) in self.packets.iter().enumerate() {
            let time = Duration::from_secs(1_748_736_000) + Duration::from_millis(i as u64);
            let length = u32::try_from(packet.len()).map_err(io::Error::other)?;
            let record = PcapPacket::new(time, length, packet);
            writer.write_packet(&record).map_err(io::Error::other)?;
        }
        Ok(())
    }

    fn index(side: Side) -> usize {
        match side {
            Side::Client => 0,
            Side::Server => 1,
        }
    }

    fn segment(&mut self, from: Side, flags: u8, payload: &[u8]) {
        let (me, peer) = (Self::index(from), Self::index(from.peer()));
        let seq = self.next_seq[me];
        let ack = if flags & ACK != 0 {
            self.next_seq[peer]
        } else {
            0
        };
        // SYN and FIN count as one byte of sequence space.
        let consumed = payload.len() as u32 + u32::from(flags & (SYN | 0x01) != 0);
        self.next_seq[me] = seq.wrapping_add(consumed);
        let (src, dst, sport, dport, smac, dmac) = match from {
            Side::Client => (
                CLIENT_IP,
                SERVER_IP,
                CLIENT_PORT,
                SERVER_PORT,
                CLIENT_MAC,
                SERVER_MAC,
            ),
            Side::Server => (
                SERVER_IP,
                CLIENT_IP,
                SERVER_PORT,
                CLIENT_PORT,
                SERVER_MAC,
                CLIENT_MAC,
            ),
        };

        let mut tcp = Vec::with_capacity(20 + payload.len());
        tcp.extend_from_slice(&sport.to_be_bytes());
        tcp.extend_from_slice(&dport.to_be_bytes());
        tcp.extend_from_slice(&seq.to_be_bytes());
        tcp.extend_from_slice(&ack.to_be_bytes());
        tcp.push(5 << 4); // data offset: 5 words, no options
        tcp.push(flags);
        tcp.extend_from_slice(&65535u16.to_be_bytes()); // window
        tcp.extend_from_slice(&[0, 0, 0, 0]); // checksum (below), urgent pointer
        tcp.extend_from_slice(payload);
        let mut pseudo = Vec::with_capacity(12 + tcp.len());
        pseudo.extend_from_slice(&src);
        pseudo.extend_from_slice(&dst);
        pseudo.extend_from_slice(&[0, 6]);
        pseudo.extend_from_slice(&(tcp.len() as u16).to_be_bytes());
        pseudo.extend_from_slice(&tcp);
        let checksum = internet_checksum(&pseudo);
        tcp[16..18].copy_from_slice(&checksum.to_be_bytes());

        let mut ip = Vec::with_capacity(20);
        ip.push(0x45); // IPv4, 5-word header
        ip.push(0);
        ip.extend_from_slice(&((20 + tcp.len()) as u16).to_be_bytes());
        ip.extend_from_slice(&(self.packets.len() as u16).to_be_bytes()); // identification
        ip.extend_from_slice(&[0x40, 0]); // don't fragment
        ip.push(64); // TTL
        ip.push(6); // TCP
        ip.extend_from_slice(&[0, 0]);
        ip.extend_from_slice(&src);
        ip.extend_from_slice(&dst);
        let checksum = internet_checksum(&ip);
        ip[10..12].copy_from_slice(&checksum.to_be_bytes());

        let mut frame = Vec::with_capacity(14 + ip.len() + tcp.len());
        frame.extend_from_slice(&dmac);
        frame.extend_from_slice(&smac);
        frame.extend_from_slice(&0x0800u16.to_be_bytes()); // IPv4
        frame.extend_from_slice(&ip);
        frame.extend_from_slice(&tcp);
        self.packets.push(frame);
    }
}

/// RFC 1071: the one's complement of the one's complement sum of 16-bit words.
fn internet_checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = bytes
        .chunks(2)
        .map(|pair| u32::from(u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)])))
        .sum();
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}
