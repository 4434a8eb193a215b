// Names the byte ranges of TLS 1.3 records and handshake messages, with the RFC section
// defining each field, for the page's hover annotations. It reads structure only (lengths,
// types); what the fields mean is decoded by the library (lucid_tls::explain) and shown
// beside the bytes.

const EXTENSIONS = {
  0: ['server_name', 'RFC 6066 §3'],
  1: ['max_fragment_length', 'RFC 6066 §4'],
  10: ['supported_groups', 'RFC 9846 §4.3.7'],
  13: ['signature_algorithms', 'RFC 9846 §4.3.3'],
  16: ['application_layer_protocol_negotiation', 'RFC 7301 §3.1'],
  21: ['padding', 'RFC 7685 §3'],
  28: ['record_size_limit', 'RFC 8449 §4'],
  35: ['session_ticket', 'RFC 5077 §3.2'],
  41: ['pre_shared_key', 'RFC 9846 §4.3.11'],
  42: ['early_data', 'RFC 9846 §4.3.10'],
  43: ['supported_versions', 'RFC 9846 §4.3.1'],
  44: ['cookie', 'RFC 9846 §4.3.2'],
  45: ['psk_key_exchange_modes', 'RFC 9846 §4.3.9'],
  47: ['certificate_authorities', 'RFC 9846 §4.3.4'],
  48: ['oid_filters', 'RFC 9846 §4.3.5'],
  49: ['post_handshake_auth', 'RFC 9846 §4.3.6'],
  50: ['signature_algorithms_cert', 'RFC 9846 §4.3.3'],
  51: ['key_share', 'RFC 9846 §4.3.8'],
  65281: ['renegotiation_info', 'RFC 5746 §3.2'],
};

export const MESSAGES = {
  1: ['ClientHello', 'RFC 9846 §4.2.2'],
  2: ['ServerHello', 'RFC 9846 §4.2.3'],
  4: ['NewSessionTicket', 'RFC 9846 §4.7.1'],
  5: ['EndOfEarlyData', 'RFC 9846 §4.6'],
  8: ['EncryptedExtensions', 'RFC 9846 §4.4.1'],
  11: ['Certificate', 'RFC 9846 §4.5.1'],
  13: ['CertificateRequest', 'RFC 9846 §4.4.2'],
  15: ['CertificateVerify', 'RFC 9846 §4.5.2'],
  20: ['Finished', 'RFC 9846 §4.5.3'],
  24: ['KeyUpdate', 'RFC 9846 §4.7.3'],
};

const CONTENT_TYPES = { 20: 'change_cipher_spec', 21: 'alert', 22: 'handshake', 23: 'application_data' };

// A cursor over bytes that records named ranges into `out`.
class Walker {
  constructor(bytes, start, end, out, prefix) {
    Object.assign(this, { bytes, pos: start, end, out, prefix });
  }
  uint(n) {
    let v = 0;
    for (let i = 0; i < n; i++) v = v * 256 + (this.bytes[this.pos + i] ?? 0);
    return v;
  }
  field(n, name, section) {
    const s = this.pos;
    const e = Math.min(this.pos + n, this.end);
    if (e > s) this.out.push({ s, e, name: `${this.prefix}${name}`, section });
    this.pos = e;
    return e - s;
  }
  // A vector with an `lenBytes`-byte length prefix: the prefix, then the contents.
  vector(lenBytes, name, section) {
    const n = this.uint(lenBytes);
    this.field(lenBytes, `${name} length (${n})`, section);
    const start = this.pos;
    this.field(n, name, section);
    return [start, this.pos];
  }
  left() {
    return this.end - this.pos;
  }
}

function extensions(w, where) {
  const n = w.uint(2);
  w.field(2, `extensions length (${n})`, where);
  const end = Math.min(w.pos + n, w.end);
  while (w.pos + 4 <= end) {
    const type = w.uint(2);
    const [name, section] = EXTENSIONS[type] ?? [`extension ${type}`, 'RFC 9846 §4.3'];
    w.field(2, `extension_type: ${name} (${type})`, section);
    const len = w.uint(2);
    w.field(2, `${name} extension_data length (${len})`, section);
    w.field(len, `${name} extension_data`, section);
  }
}

// Annotates the handshake messages in bytes[start, end).
export function annotateHandshake(bytes, start, end, out, prefix = '') {
  let pos = start;
  while (pos + 4 <= end) {
    const type = bytes[pos];
    const length = (bytes[pos + 1] << 16) | (bytes[pos + 2] << 8) | bytes[pos + 3];
    const isRetry = type === 2 && hrrRandom(bytes, pos + 6);
    const [name, section] = isRetry
      ? ['HelloRetryRequest', 'RFC 9846 §4.2.4']
      : (MESSAGES[type] ?? [`handshake type ${type}`, 'RFC 9846 §4']);
    const p = `${prefix}${name}.`;
    const w = new Walker(bytes, pos, end, out, p);
    w.field(1, `msg_type (${type})`, 'RFC 9846 §4');
    w.field(3, `length (${length})`, 'RFC 9846 §4');
    w.end = Math.min(pos + 4 + length, end);
    body(w, type, section, isRetry);
    if (w.pos < w.end) w.field(w.left(), 'rest', section);
    pos = pos + 4 + length;
  }
  if (pos < end) out.push({ s: pos, e: end, name: `${prefix}partial handshake message`, section: 'RFC 9846 §5.1' });
}

const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';
function hrrRandom(bytes, at) {
  let h = '';
  for (let i = 0; i < 32; i++) h += (bytes[at + i] ?? 0).toString(16).padStart(2, '0');
  return h === HRR_RANDOM;
}

function body(w, type, section, isRetry) {
  switch (type) {
    case 1:
      w.field(2, 'legacy_version', section);
      w.field(32, 'random', section);
      w.vector(1, 'legacy_session_id', section);
      w.vector(2, 'cipher_suites', section);
      w.vector(1, 'legacy_compression_methods', section);
      extensions(w, section);
      break;
    case 2:
      w.field(2, 'legacy_version', section);
      w.field(32, isRetry ? 'random (the special HelloRetryRequest value)' : 'random', section);
      w.vector(1, 'legacy_session_id_echo', section);
      w.field(2, 'cipher_suite', section);
      w.field(1, 'legacy_compression_method', section);
      extensions(w, section);
      break;
    case 8:
      extensions(w, section);
      break;
    case 13:
      w.vector(1, 'certificate_request_context', section);
      extensions(w, section);
      break;
    case 11: {
      w.vector(1, 'certificate_request_context', section);
      const n = w.uint(3);
      w.field(3, `certificate_list length (${n})`, section);
      const end = Math.min(w.pos + n, w.end);
      for (let i = 0; w.pos + 3 <= end; i++) {
        w.vector(3, `certificate_list[${i}].cert_data (X.509 DER)`, section);
        w.vector(2, `certificate_list[${i}].extensions`, section);
      }
      break;
    }
    case 15:
      w.field(2, 'algorithm (SignatureScheme)', section);
      w.vector(2, 'signature', section);
      break;
    case 20:
      w.field(w.left(), 'verify_data', section);
      break;
    case 4:
      w.field(4, 'ticket_lifetime', section);
      w.field(4, 'ticket_age_add', section);
      w.vector(1, 'ticket_nonce', section);
      w.vector(2, 'ticket', section);
      extensions(w, section);
      break;
    case 24:
      w.field(1, 'request_update', section);
      break;
    default:
  }
}

// Annotates one flight: its records back to back. `inners[i]` is the i-th protected
// record's decrypted TLSInnerPlaintext ({type, content} as hex), when known: the
// ciphertext bytes are then named after the plaintext bytes they encrypt (the AEADs of
// TLS 1.3 encrypt in counter mode: ciphertext byte k encrypts plaintext byte k).
export function annotateFlight(bytes, inners) {
  const out = [];
  let pos = 0;
  let protectedIndex = 0;
  while (pos < bytes.length) {
    const type = bytes[pos];
    const length = ((bytes[pos + 3] ?? 0) << 8) | (bytes[pos + 4] ?? 0);
    const end = Math.min(pos + 5 + length, bytes.length);
    const tname = CONTENT_TYPES[type] ?? `unknown (${type})`;
    out.push({ s: pos, e: pos + 1, name: `record: ContentType ${tname} (${type})`, section: 'RFC 9846 §5.1' });
    out.push({ s: pos + 1, e: pos + 3, name: 'record: legacy_record_version', section: 'RFC 9846 §5.1' });
    out.push({ s: pos + 3, e: Math.min(pos + 5, end), name: `record: length (${length})`, section: 'RFC 9846 §5.1' });
    const start = pos + 5;
    if (type === 22) {
      annotateHandshake(bytes, start, end, out);
    } else if (type === 21) {
      out.push({ s: start, e: start + 1, name: 'Alert.level', section: 'RFC 9846 §6' });
      out.push({ s: start + 1, e: end, name: 'Alert.description', section: 'RFC 9846 §6' });
    } else if (type === 20) {
      out.push({ s: start, e: end, name: 'change_cipher_spec (dropped: middlebox compatibility)', section: 'RFC 9846 Appendix E.4' });
    } else if (type === 23) {
      const tagStart = Math.max(start, end - 16);
      const inner = inners[protectedIndex++];
      if (inner) {
        const content = fromHex(inner.content);
        const innerOut = [];
        if (inner.type === 'handshake') annotateHandshake(content, 0, content.length, innerOut, 'encrypted ');
        else innerOut.push({ s: 0, e: content.length, name: `encrypted ${inner.type} content`, section: inner.type === 'alert' ? 'RFC 9846 §6' : 'RFC 9846 §5.2' });
        for (const r of innerOut) out.push({ s: start + r.s, e: Math.min(start + r.e, tagStart), name: r.name, section: r.section });
        const typeAt = start + content.length;
        out.push({ s: typeAt, e: Math.min(typeAt + 1, tagStart), name: `encrypted TLSInnerPlaintext.type (${inner.type})`, section: 'RFC 9846 §5.2' });
        if (typeAt + 1 < tagStart) out.push({ s: typeAt + 1, e: tagStart, name: 'encrypted padding (zeros)', section: 'RFC 9846 §5.4' });
      } else {
        out.push({ s: start, e: tagStart, name: 'encrypted_record (AEAD-encrypted TLSInnerPlaintext)', section: 'RFC 9846 §5.2' });
      }
      out.push({ s: tagStart, e: end, name: 'AEAD authentication tag', section: 'RFC 9846 §5.2' });
    } else {
      out.push({ s: start, e: end, name: 'fragment', section: 'RFC 9846 §5.1' });
    }
    pos = end;
  }
  return out.filter((r) => r.e > r.s).sort((a, b) => a.s - b.s);
}

export function fromHex(hex) {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  return out;
}
