// Writes a run's flights as a pcap capture: one synthetic TCP connection per TLS
// connection, client 10.0.0.1:50000+n to server 10.0.0.2:443, with a three-way handshake,
// one segment per 1400 bytes of a flight, and a closing FIN exchange, so that Wireshark or
// tshark reassemble the TLS stream and, with the NSS key log, decrypt it. Ethernet II /
// IPv4 / TCP with correct checksums; the classic pcap format (microsecond timestamps).

const SYN = 0x02, ACK = 0x10, PSH_ACK = 0x18, FIN_ACK = 0x11;
const MAX_SEGMENT = 1400;

function checksum(bytes) {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

function be(n, len) {
  const out = [];
  for (let i = len - 1; i >= 0; i--) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
}

class TcpStream {
  constructor(clientPort) {
    this.clientPort = clientPort;
    this.next = [0x10000000, 0x20000000];
    this.packets = [];
    this.segment(0, SYN, []);
    this.segment(1, SYN | ACK, []);
    this.segment(0, ACK, []);
  }
  send(side, bytes) {
    for (let i = 0; i < bytes.length; i += MAX_SEGMENT) this.segment(side, PSH_ACK, bytes.slice(i, i + MAX_SEGMENT));
  }
  close() {
    this.segment(0, FIN_ACK, []);
    this.segment(1, FIN_ACK, []);
    this.segment(0, ACK, []);
  }
  segment(side, flags, payload) {
    const seq = this.next[side];
    const ack = flags & ACK ? this.next[1 - side] : 0;
    this.next[side] = (seq + payload.length + (flags & (SYN | 1) ? 1 : 0)) >>> 0;
    const ips = [[10, 0, 0, 1], [10, 0, 0, 2]];
    const ports = [this.clientPort, 443];
    const [src, dst] = [ips[side], ips[1 - side]];
    const tcp = [...be(ports[side], 2), ...be(ports[1 - side], 2), ...be(seq, 4), ...be(ack, 4),
      5 << 4, flags, ...be(65535, 2), 0, 0, 0, 0, ...payload];
    const sum = checksum([...src, ...dst, 0, 6, ...be(tcp.length, 2), ...tcp]);
    tcp[16] = sum >> 8; tcp[17] = sum & 0xff;
    const ip = [0x45, 0, ...be(20 + tcp.length, 2), 0, 0, 0x40, 0, 64, 6, 0, 0, ...src, ...dst];
    const ipSum = checksum(ip);
    ip[10] = ipSum >> 8; ip[11] = ipSum & 0xff;
    const macs = [[2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]];
    this.packets.push([...macs[1 - side], ...macs[side], 0x08, 0x00, ...ip, ...tcp]);
  }
}

function le(n, len) {
  const out = [];
  for (let i = 0; i < len; i++) out.push(Math.floor(n / 2 ** (8 * i)) & 0xff);
  return out;
}

// flights: [{connection, from: 'client'|'server', bytes: Uint8Array}] in order.
export function pcap(flights) {
  const streams = new Map();
  const order = [];
  for (const f of flights) {
    if (!streams.has(f.connection)) {
      const s = new TcpStream(50000 + f.connection);
      streams.set(f.connection, s);
      order.push(s);
    }
    if (f.bytes.length) streams.get(f.connection).send(f.from === 'client' ? 0 : 1, Array.from(f.bytes));
  }
  for (const s of order) s.close();
  const out = [...le(0xa1b2c3d4, 4), ...le(2, 2), ...le(4, 2), ...le(0, 4), ...le(0, 4), ...le(65535, 4), ...le(1, 4)];
  let t = 0;
  for (const s of order) {
    for (const p of s.packets) {
      t += 1;
      out.push(...le(1748736000, 4), ...le(t * 1000, 4), ...le(p.length, 4), ...le(p.length, 4), ...p);
    }
  }
  return new Uint8Array(out);
}
