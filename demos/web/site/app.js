// The page: loads the engines (lucid_tls_web.wasm, the bridge in ../src/), asks them to run
// a scenario, and shows it one flight or one message at a time. Every value shown comes
// from the engines' answer; this file only lays it out.
//
// URL fragments: #simple, #simple/5 (after the fifth flight), #simple/5.2 (the fifth flight
// up to its second message), with the walkthrough's --trace names; #live/3 for a live
// handshake with fresh randomness, #live+hrr+mtls/3 with options (hrr, resume, early_data,
// mtls, key_update, alpn). A step past the end shows the end.

import { annotateFlight, annotateHandshake, fromHex } from './annotate.js';
import { pcap } from './pcap.js';
import { CLIENT_DIAGRAM, SERVER_DIAGRAM, ALERT_TEXT } from './rfc.js';

const $ = (id) => document.getElementById(id);
const timing = (window.lucidTiming = { start: performance.now(), runs: [], steps: [] });

// ----- The bridge ---------------------------------------------------------------------------

let exportsWasm;
async function loadEngines() {
  const response = await fetch('lucid_tls_web.wasm');
  const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), {});
  exportsWasm = instance.exports;
}

function ask(request) {
  const x = exportsWasm;
  const bytes = new TextEncoder().encode(JSON.stringify(request));
  const at = x.request_buffer(bytes.length);
  new Uint8Array(x.memory.buffer, at, bytes.length).set(bytes);
  const len = x.handle_request();
  const answer = new Uint8Array(x.memory.buffer, x.response_ptr(), len);
  return JSON.parse(new TextDecoder().decode(answer));
}

// ----- State --------------------------------------------------------------------------------

const state = {
  info: null,
  scenario: 'simple',
  options: {},
  seed: null,
  edits: [],
  run: null,
  step: 0, // flights delivered
  msg: null, // null: all of flight step-1's events; else how many message boundaries
  selected: null, // {flight, offset, name}
};

function newSeed() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function compute() {
  const t0 = performance.now();
  const request = { op: 'run', scenario: state.scenario, edits: state.edits };
  if (state.scenario === 'live') Object.assign(request, { options: state.options, seed: state.seed });
  const run = ask(request);
  timing.runs.push({ scenario: state.scenario, ms: performance.now() - t0 });
  if (run.error) throw new Error(run.error);
  state.run = run;
}

// Where a message step ends inside a flight's events: just before the next message or
// alert, so that a step shows a message and all it caused (secrets, keys, state changes).
function boundaries(flight) {
  const out = [];
  let first = true;
  flight.events.forEach((e, i) => {
    if (e.kind !== 'message' && e.kind !== 'alert') return;
    if (!first) out.push(i);
    first = false;
  });
  if (!out.length || out[out.length - 1] !== flight.events.length) out.push(flight.events.length);
  return out;
}

// The events shown at the current position, per flight index.
function shownEvents(i) {
  const flight = state.run.flights[i];
  if (i < state.step - 1 || state.msg === null) return flight.events;
  const b = boundaries(flight);
  return flight.events.slice(0, b[Math.min(state.msg, b.length - 1)]);
}

function statesAt() {
  const now = { client: 'START', server: 'START' };
  const visited = { client: new Set(['START']), server: new Set(['START']) };
  for (let i = 0; i < state.step; i++) {
    for (const e of shownEvents(i)) {
      if (e.kind === 'state') {
        now[e.side] = e.to;
        visited[e.side].add(e.to);
      }
    }
  }
  return { now, visited };
}

// ----- Navigation ---------------------------------------------------------------------------

const FLAGS = ['hrr', 'resume', 'early_data', 'mtls', 'key_update', 'alpn'];

// The scenario as a fragment: a live handshake's flags ride along (#live+hrr+mtls/3).
function scenarioTag() {
  if (state.scenario !== 'live') return state.scenario;
  return ['live', ...FLAGS.filter((f) => state.options[f])].join('+');
}

function setHash() {
  const pos = state.msg === null ? `${state.step}` : `${state.step}.${state.msg + 1}`;
  history.replaceState(null, '', `#${scenarioTag()}/${pos}`);
}

function go(step, msg = null) {
  const t0 = performance.now();
  const n = state.run.flights.length;
  state.step = Math.max(0, Math.min(step, n));
  state.msg = state.step === 0 ? null : msg;
  if (state.msg !== null) {
    const b = boundaries(state.run.flights[state.step - 1]);
    if (state.msg >= b.length - 1) state.msg = null;
  }
  render();
  setHash();
  timing.steps.push(performance.now() - t0);
}

function nextMessage() {
  if (state.step === 0) return go(1, 0);
  const b = boundaries(state.run.flights[state.step - 1]);
  if (state.msg !== null && state.msg + 1 < b.length - 1) return go(state.step, state.msg + 1);
  if (state.msg !== null) return go(state.step, null);
  if (state.step < state.run.flights.length) return go(state.step + 1, 0);
}

function prevMessage() {
  if (state.step === 0) return;
  const b = boundaries(state.run.flights[state.step - 1]);
  if (state.msg === null && b.length > 1) return go(state.step, b.length - 2);
  if (state.msg !== null && state.msg > 0) return go(state.step, state.msg - 1);
  return go(state.step - 1, null);
}

// ----- Rendering helpers ----------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

// Appends children (arrays flattened, null skipped).
function put(node, ...children) {
  for (const c of children.flat(2)) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
}

function mark(compare) {
  if (!compare) return null;
  const note = compare.note ? ` (${compare.note})` : '';
  return compare.equal
    ? el('span', { class: 'equal', title: 'equal to RFC 8448' }, ` ✓ equal to RFC 8448${note}`)
    : el('span', { class: 'different', title: `RFC 8448 has ${compare.rfc}` }, ` ✗ different from RFC 8448 (RFC: ${compare.rfc})`);
}

function hover(text) {
  $('hover').textContent = text;
}

// Annotated hex of flight `index` (bytes as delivered); bytes clickable to tamper.
function hexView(index, bytes, annotations) {
  const edited = new Set(state.edits.filter((e) => e.flight === index).map((e) => e.offset));
  const view = el('div', { class: 'hex' });
  let pos = 0;
  let alt = 0;
  const byte = (o) => {
    const cls = ['b'];
    if (edited.has(o)) cls.push('edited');
    if (state.selected && state.selected.flight === index && state.selected.offset === o) cls.push('selected');
    return el('span', { class: cls.join(' '), 'data-flight': index, 'data-offset': o }, bytes[o].toString(16).padStart(2, '0'));
  };
  for (const a of annotations) {
    while (pos < a.s) view.append(byte(pos++));
    const label = `${a.name} — ${a.section}`;
    const field = el('span', { class: `field alt${alt++ % 2}`, title: label, 'data-field': a.name });
    for (; pos < a.e; pos++) field.append(byte(pos));
    field.addEventListener('mouseenter', () => hover(`flight ${index + 1}, bytes ${a.s}..${a.e - 1}: ${label}`));
    view.append(field, ' ');
  }
  while (pos < bytes.length) view.append(byte(pos++));
  view.addEventListener('click', (ev) => {
    const t = ev.target.closest('.b');
    if (!t) return;
    const offset = Number(t.dataset.offset);
    const name = t.parentElement.dataset.field ?? '';
    state.selected = { flight: index, offset, name, value: bytes[offset] };
    render();
  });
  return view;
}

// Hex of one handshake message, one span per field (hover: name and section).
function fieldView(bytes) {
  const annotations = [];
  annotateHandshake(bytes, 0, bytes.length, annotations);
  const view = el('span', { class: 'hex' });
  const hex = (a, b) => Array.from(bytes.slice(a, b), (x) => x.toString(16).padStart(2, '0')).join('');
  let pos = 0;
  let alt = 0;
  for (const a of annotations) {
    if (a.s > pos) view.append(hex(pos, a.s));
    const label = `${a.name} — ${a.section}`;
    const field = el('span', { class: `field alt${alt++ % 2}`, title: label }, hex(a.s, a.e));
    field.addEventListener('mouseenter', () => hover(label));
    view.append(field);
    pos = a.e;
  }
  if (pos < bytes.length) view.append(hex(pos, bytes.length));
  return view;
}

function innersOf(index) {
  const flight = state.run.flights[index];
  const receiver = flight.from === 'client' ? 'server' : 'client';
  return flight.events
    .filter((e) => e.side === receiver && e.kind === 'record' && e.dir === 'received' && e.type === 'application_data')
    .map((e) => e.inner);
}

function flightBytes(index) {
  return fromHex(state.run.flights[index].bytes);
}

function flightTitle(f) {
  const to = f.from === 'client' ? 'server' : 'client';
  const conn = state.run.flights.some((x) => x.connection === 2) ? ` (connection ${f.connection})` : '';
  return `Flight ${f.index + 1}${conn}: ${f.from} → ${to}, ${f.bytes.length / 2} bytes`;
}

// ----- Sections -------------------------------------------------------------------------------

function renderDiagrams() {
  const { now, visited } = statesAt();
  const box = $('diagrams');
  box.replaceChildren();
  for (const [side, diagram] of [['client', CLIENT_DIAGRAM], ['server', SERVER_DIAGRAM]]) {
    const pre = el('pre', { 'data-side': side });
    const parts = diagram.split(/\b(START|WAIT_[A-Z0-9_]+|RECVD_CH|NEGOTIATED|CONNECTED)\b/);
    parts.forEach((p, i) => {
      if (i % 2 === 0) return pre.append(p);
      const cls = ['state'];
      if (p === now[side]) cls.push('current');
      else if (visited[side].has(p)) cls.push('visited');
      pre.append(el('span', { class: cls.join(' '), 'data-state': p }, p));
    });
    put(box, el('h3', {}, `${side === 'client' ? 'Client' : 'Server'} (RFC 9846 Appendix ${side === 'client' ? 'A.1' : 'A.2'}): `,
      el('span', { class: 'current-state', id: `${side}-state` }, now[side])), pre);
  }
}

function describeEvent(e) {
  const who = el('span', { class: 'who' }, e.side);
  switch (e.kind) {
    case 'state':
      return el('div', { class: `event ${e.side}` }, who, `state ${e.from} → `, el('b', {}, e.to));
    case 'message': {
      const fields = el('table', {}, e.fields.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', { class: 'value' }, v))));
      const certs = (e.certificates ?? []).map((c, i) => el('details', {}, el('summary', {}, `certificate ${i}`),
        el('table', {}, c.map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', { class: 'value' }, v))))));
      return el('div', { class: `event ${e.side}` }, who,
        `${e.dir} `, el('b', {}, e.name), ` (${e.section})`, mark(e.rfc),
        fields, certs,
        el('div', { class: 'mono' }, 'bytes (what enters the transcript; hover for fields): ', fieldView(fromHex(e.bytes))),
        e.transcript ? el('div', { class: 'mono' }, `transcript hash after it (${e.transcript.hash}, RFC 9846 §4.1): `, el('span', { class: 'transcript' }, e.transcript.value)) : null);
    }
    case 'record':
      return el('div', { class: `event ${e.side}` }, who, `${e.dir} record: ${e.type}, ${e.bytes.length / 2} bytes`,
        e.inner ? el('div', { class: 'mono' }, `decrypted TLSInnerPlaintext (RFC 9846 §5.2): type ${e.inner.type}, content `, el('span', { class: 'value' }, e.inner.content)) : null);
    case 'secret':
      return el('div', { class: `event ${e.side} secret` }, who, 'derived ', el('b', {}, e.name), mark(e.rfc),
        el('div', { class: 'value mono' }, e.value),
        el('div', { class: 'muted' }, `${e.derivation} (${e.section})`));
    case 'key':
      return el('div', { class: `event ${e.side}` }, who, `installed ${e.dir === 'sent' ? 'write' : 'read'} key, ${e.epoch} epoch, ${e.aead} (RFC 9846 §7.3)`,
        el('div', { class: 'mono' }, 'key ', e.key, mark(e.rfc_key)),
        el('div', { class: 'mono' }, 'iv ', e.iv, mark(e.rfc_iv)));
    case 'alert':
      return el('div', { class: `event ${e.side} alert` }, who, `${e.dir} alert `, el('b', {}, e.description), ` (${e.level}, ${e.code})`,
        el('div', { class: 'muted' }, `RFC 9846 ${e.description === 'close_notify' ? '§6.1' : '§6.2'}: “${ALERT_TEXT[e.description] ?? ''}”`));
    case 'ccs':
      return el('div', { class: `event ${e.side}` }, who, `${e.dir} a dummy change_cipher_spec (RFC 9846 Appendix E.4)`);
    default:
      return el('div', { class: `event ${e.side}` }, who, e.text ?? e.kind);
  }
}

function failureBox(f, index) {
  if (!f.result) return null;
  const receiver = f.from === 'client' ? 'server' : 'client';
  let where = 'START';
  for (let i = 0; i <= index; i++) {
    for (const e of state.run.flights[i].events) {
      if (e.kind === 'state' && e.side === receiver) where = e.to;
    }
  }
  if (f.result.error.startsWith('AlertReceived')) {
    return el('div', { class: 'failure', id: 'failure' },
      el('h3', {}, `The ${receiver} received a fatal alert and closed the connection`),
      el('div', {}, 'RFC 9846 §6.2: “Upon transmission or receipt of a fatal alert message, both parties MUST immediately close the connection.”'));
  }
  const alert = f.result.alert;
  return el('div', { class: 'failure', id: 'failure' },
    el('h3', {}, `The ${receiver} rejected flight ${index + 1}`),
    el('div', {}, 'Check that failed: ', el('code', {}, f.result.error)),
    el('div', {}, `In state: `, el('b', {}, where)),
    el('div', {}, 'Alert sent: ', el('b', { class: 'alert-name' }, alert ?? 'none')),
    alert ? el('blockquote', {}, `RFC 9846 ${alert === 'close_notify' ? '§6.1' : '§6.2'}: “${alert}: ${ALERT_TEXT[alert] ?? ''}”`) : null);
}

function renderFlight() {
  const box = $('flight');
  box.replaceChildren();
  if (state.step === 0) {
    put(box, el('h2', {}, 'Nothing delivered yet'), el('p', {}, 'Step forward to deliver the first flight; or edit a byte of it below first.'));
    return;
  }
  const index = state.step - 1;
  const f = state.run.flights[index];
  put(box, el('h2', { id: 'flight-title' }, flightTitle(f)));
  if (f.actions.length) put(box, el('p', {}, 'Before it: ', f.actions.join('; ')));
  put(box, failureBox(f, index));
  put(box, el('h3', {}, 'On the wire (hover a byte range for its field and RFC section; click a byte to tamper with it)'));
  put(box, hexView(index, flightBytes(index), annotateFlight(flightBytes(index), innersOf(index))));
  for (const [i, r] of f.records.entries()) {
    put(box, el('div', { class: 'record' }, `record ${i + 1}${r.heading ? ` (RFC 8448: ${r.heading})` : ''}:`,
      r.equal ? el('span', { class: 'equal' }, ' ✓ equal to RFC 8448') : el('span', { class: 'different' }, ' ✗ different from RFC 8448')));
  }
  put(box, el('h3', {}, 'What both sides did'));
  const events = shownEvents(index);
  put(box, events.map(describeEvent));
  if (events.length === f.events.length) {
    put(box, f.app.map((a) => el('div', { class: `event ${a.side}` }, el('span', { class: 'who' }, a.side), el('i', {}, a.text))));
  } else {
    put(box, el('p', { class: 'muted' }, `… ${f.events.length - events.length} more events in this flight (message ▷).`));
  }
}

function renderNext() {
  const box = $('next');
  box.replaceChildren();
  const n = state.run.flights.length;
  if (state.step >= n) {
    put(box, el('h2', {}, 'The end'), el('p', {}, 'Neither side has anything more to send.'));
    return;
  }
  const f = state.run.flights[state.step];
  put(box, el('h2', {}, `Next: ${flightTitle(f)} (not delivered yet)`),
    hexView(state.step, flightBytes(state.step), annotateFlight(flightBytes(state.step), innersOf(state.step))));
}

function renderTamper() {
  const box = $('tamper');
  box.replaceChildren();
  const s = state.selected;
  const edits = state.edits.length
    ? el('p', {}, `Edits in this run: ${state.edits.map((e) => `flight ${e.flight + 1} byte ${e.offset} = ${e.value.toString(16).padStart(2, '0')}`).join(', ')} `,
      el('button', { id: 'clear-edits', onclick: () => { state.edits = []; rerun(state.step); } }, 'undo all edits'))
    : null;
  if (!s) {
    put(box, el('h2', {}, 'Tamper'), el('p', { class: 'muted' }, 'Click any byte of a flight to change it before it is delivered.'), edits);
    return;
  }
  const input = el('input', { id: 'tamper-value', size: 3, value: (s.value ^ 1).toString(16).padStart(2, '0') });
  put(box, el('h2', {}, 'Tamper'),
    el('p', {}, `Flight ${s.flight + 1}, byte ${s.offset}: ${s.name || 'byte'}; now `, el('code', {}, s.value.toString(16).padStart(2, '0')), '. New value (hex): ', input, ' ',
      el('button', { id: 'deliver-tampered', onclick: () => {
        const value = parseInt(input.value, 16) & 0xff;
        state.edits = state.edits.filter((e) => !(e.flight === s.flight && e.offset === s.offset)).concat([{ flight: s.flight, offset: s.offset, value }]);
        state.selected = null;
        rerun(s.flight + 1);
      } }, 'deliver it changed')), edits);
}

function renderSecrets() {
  const box = $('secrets');
  box.replaceChildren(el('h2', {}, 'Secrets and keys so far'));
  const rows = [];
  const transcripts = {};
  for (let i = 0; i < state.step; i++) {
    for (const e of shownEvents(i)) {
      if (e.kind === 'secret') rows.push(el('tr', {}, el('td', {}, e.side), el('td', {}, e.name), el('td', { class: 'value' }, e.value), el('td', {}, mark(e.rfc) ?? ''), el('td', { class: 'muted' }, `${e.derivation} (${e.section})`)));
      if (e.kind === 'key') rows.push(el('tr', {}, el('td', {}, e.side), el('td', {}, `${e.dir === 'sent' ? 'write' : 'read'} key and iv, ${e.epoch}`), el('td', { class: 'value' }, `${e.key} ${e.iv}`), el('td', {}, mark(e.rfc_key) ?? ''), el('td', { class: 'muted' }, 'HKDF-Expand-Label(Secret, "key"/"iv", "", length) (RFC 9846 §7.3)')));
      if (e.kind === 'message' && e.transcript) transcripts[e.side] = [e.name, e.transcript];
    }
  }
  put(box, rows.length ? el('table', { id: 'secret-table' }, el('tr', {}, el('th', {}, 'side'), el('th', {}, 'secret'), el('th', {}, 'value'), el('th', {}, 'RFC 8448'), el('th', {}, 'derivation')), rows) : el('p', { class: 'muted' }, 'None yet.'));
  for (const [side, [name, t]] of Object.entries(transcripts)) {
    put(box, el('p', { class: 'mono' }, `${side}'s transcript hash (${t.hash}) through ${name}: ${t.value}`));
  }
}

function renderTimeline() {
  const box = $('timeline');
  box.replaceChildren(el('h2', {}, 'All flights'));
  put(box, el('ol', {}, state.run.flights.map((f, i) => {
    const cls = [i === state.step - 1 ? 'current' : '', f.result ? 'failed' : ''].join(' ');
    // What the receiver read from this flight.
    const got = f.events.filter((e) => e.side !== f.from && e.dir === 'received');
    const names = got.filter((e) => e.kind === 'message').map((e) => e.name);
    const alerts = got.filter((e) => e.kind === 'alert').map((e) => `alert ${e.description}`);
    return el('li', { class: cls }, el('a', { href: `#${scenarioTag()}/${i + 1}`, onclick: (ev) => { ev.preventDefault(); go(i + 1); } },
      `${flightTitle(f)}: ${[...names, ...alerts].join(', ') || (f.result ? 'not accepted' : 'application data')}`),
      f.result && f.result.alert ? ` ✗ rejected: the ${f.from === 'client' ? 'server' : 'client'} sends ${f.result.alert}` : '');
  })));
}

function download(name, bytes, type) {
  const a = el('a', { href: URL.createObjectURL(new Blob([bytes], { type })), download: name });
  document.body.append(a);
  a.click();
  a.remove();
}

function renderExport() {
  const box = $('export');
  const keylog = state.run.keylog.join('\n') + '\n';
  box.replaceChildren(el('h2', {}, 'Export'),
    el('p', {}, 'A capture of every flight as delivered, and the NSS key log that lets Wireshark or tshark decrypt it: ',
      el('code', {}, 'tshark -r lucid-tls.pcap -o tls.keylog_file:lucid-tls.keys')),
    el('button', { id: 'download-pcap', onclick: () => download('lucid-tls.pcap', pcap(state.run.flights.map((f) => ({ connection: f.connection, from: f.from, bytes: fromHex(f.bytes) }))), 'application/vnd.tcpdump.pcap') }, 'download pcap'), ' ',
    el('button', { id: 'download-keylog', onclick: () => download('lucid-tls.keys', new TextEncoder().encode(keylog), 'text/plain') }, 'download key log'),
    el('textarea', { rows: 6, readonly: '' }, keylog));
}

function render() {
  const n = state.run.flights.length;
  $('position').textContent = `step ${state.step} of ${n}${state.msg !== null ? `, message ${state.msg + 1}` : ''}`;
  const s = state.run;
  $('summary').replaceChildren(el('h2', { id: 'scenario-title' }, s.rfc ? `RFC 8448 ${s.section}: ${s.title}` : s.title), el('p', {}, s.summary),
    s.rfc ? el('p', { class: 'muted' }, 'Replayed with the RFC\'s randomness: every record, message, secret and key the RFC prints is marked equal or different.') : null);
  renderDiagrams();
  renderFlight();
  renderTamper();
  renderNext();
  renderSecrets();
  renderTimeline();
  renderExport();
  document.body.dataset.step = String(state.step);
  document.body.dataset.scenario = state.scenario;
}

// ----- Controls --------------------------------------------------------------------------------

function rerun(step, msg = null) {
  try {
    compute();
    $('status').textContent = `Computed ${state.run.flights.length} flights in ${timing.runs[timing.runs.length - 1].ms.toFixed(1)} ms.`;
    $('status').className = '';
    go(step, msg);
  } catch (err) {
    $('status').textContent = `The engines failed: ${err.message}`;
    $('status').className = 'error';
  }
}

function readOptions() {
  const options = { suite: Number($('suite').value), group: Number($('group').value) };
  for (const k of FLAGS) options[k] = $(`opt-${k}`).checked;
  return options;
}

function start(scenario, step, msg) {
  state.scenario = scenario;
  $('scenario').value = scenario;
  $('live-options').hidden = scenario !== 'live';
  state.edits = [];
  state.selected = null;
  if (scenario === 'live') {
    state.options = readOptions();
    state.seed = newSeed();
  }
  rerun(step, msg);
}

// #NAME[/STEP[.MESSAGE]]; a live handshake's flags set its checkboxes (#live+hrr/3).
function fromFragment() {
  const m = /^#([a-z0-9-]+)((?:\+[a-z_]+)*)(?:\/(\d+)(?:\.(\d+))?)?$/.exec(location.hash);
  const names = state.info.traces.map((t) => t.name).concat(['live']);
  if (!m || !names.includes(m[1])) return ['simple', 0, null];
  if (m[1] === 'live') {
    const flags = m[2].split('+').filter(Boolean);
    for (const f of FLAGS) $(`opt-${f}`).checked = flags.includes(f);
  }
  return [m[1], m[3] ? Number(m[3]) : 0, m[4] && Number(m[4]) > 0 ? Number(m[4]) - 1 : null];
}

async function main() {
  try {
    await loadEngines();
  } catch (err) {
    $('status').textContent = `Could not load the engines: ${err.message}`;
    $('status').className = 'error';
    return;
  }
  timing.loaded = performance.now();
  state.info = ask({ op: 'info' });
  $('scenario').append(...state.info.traces.map((t) => el('option', { value: t.name }, `RFC 8448 ${t.section}: ${t.title}`)), el('option', { value: 'live' }, 'Live handshake (fresh randomness)'));
  $('suite').append(...state.info.suites.map((s) => el('option', { value: s.code }, s.name)));
  $('group').append(...state.info.groups.map((g) => el('option', { value: g.code }, g.name)));
  $('scenario').addEventListener('change', () => start($('scenario').value, 0, null));
  $('run').addEventListener('click', () => start($('scenario').value, state.scenario === 'live' ? 0 : state.step, null));
  $('first').addEventListener('click', () => go(0));
  $('prev-flight').addEventListener('click', () => go(state.msg === null ? state.step - 1 : state.step - 1));
  $('next-flight').addEventListener('click', () => go(state.step + 1));
  $('last').addEventListener('click', () => go(state.run.flights.length));
  $('next-msg').addEventListener('click', nextMessage);
  $('prev-msg').addEventListener('click', prevMessage);
  window.addEventListener('hashchange', () => {
    const [scenario, step, msg] = fromFragment();
    const changedOptions = scenario === 'live' && FLAGS.some((f) => $(`opt-${f}`).checked !== Boolean(state.options[f]));
    if (scenario !== state.scenario || changedOptions) start(scenario, step, msg);
    else if (step !== state.step || msg !== state.msg) go(step, msg);
  });
  const [scenario, step, msg] = fromFragment();
  start(scenario, step, msg);
  timing.firstShown = performance.now();
  document.body.dataset.ready = '1';
}

main();
