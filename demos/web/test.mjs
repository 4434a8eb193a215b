// The browser test of demos/web (run by ./test): Chromium, driven by playwright-core, loads
// the page and checks what a learner would: RFC 8448 §3's secrets equal to the RFC's,
// stepping back and forth, a tampered Finished answered by an alert, a live handshake with
// a HelloRetryRequest, and a pcap that tshark decrypts with the page's key log.
//
//   node test.mjs URL SCREENSHOT_DIR        (PLAYWRIGHT_DIR: where playwright-core is installed)

import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, 'node_modules', 'playwright-core'));
const [url, shots] = process.argv.slice(2);
fs.mkdirSync(shots, { recursive: true });

// RFC 8448 §3's values.
const RFC_SECRETS = {
  client_handshake_traffic_secret: 'b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21',
  server_handshake_traffic_secret: 'b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38',
  client_application_traffic_secret_0: '9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5',
};

let failures = 0;
let shotCount = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok' : 'FAILED'}: ${what}`);
  if (!ok) failures++;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, acceptDownloads: true });
const page = await context.newPage();
page.on('pageerror', (e) => check(false, `no page error (${e.message})`));

async function shot(name, what) {
  const file = path.join(shots, `${String(++shotCount).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: false });
  console.log(`screenshot: ${file}: ${what}`);
}

const text = (selector) => page.locator(selector).first().innerText();
const step = async () => Number(await page.evaluate(() => document.body.dataset.step));

try {
  // 1. The page loads and shows RFC 8448 §3, nothing delivered yet.
  await page.goto(`${url}#simple`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  check((await text('#scenario-title')).includes('Simple 1-RTT Handshake'), 'the page opens RFC 8448 §3');
  check((await step()) === 0, '#simple opens before the first flight');
  await shot('loaded', 'RFC 8448 §3 loaded, before the first flight; both state machines in START');

  // 2. Run §3 to its end: three named secrets with the RFC's values, marked equal.
  await page.click('#last');
  check((await step()) === 8, 'RFC 8448 §3 has 8 flights');
  for (const [name, value] of Object.entries(RFC_SECRETS)) {
    const rows = page.locator('#secret-table tr', { hasText: name }).filter({ hasText: value });
    const count = await rows.count();
    const marked = count > 0 && (await rows.first().innerText()).includes('equal to RFC 8448');
    check(count > 0 && marked, `${name} = ${value.slice(0, 16)}…, marked equal to RFC 8448`);
  }
  check(!(await page.locator('.different').count()), 'nothing in §3 differs from RFC 8448');
  await page.locator('#secrets').scrollIntoViewIfNeeded();
  await shot('rfc8448-secrets', 'RFC 8448 §3 at its end: the secrets table, every value marked equal to RFC 8448');

  // The other four traces replay byte for byte too.
  for (const name of ['resumed-0rtt', 'hrr', 'client-auth', 'compat']) {
    await page.goto(`${url}#${name}/99`);
    await page.waitForFunction((n) => document.body.dataset.scenario === n, name);
    const equal = await page.locator('#secret-table .equal').count();
    const different = await page.locator('.different').count();
    check(equal > 0 && different === 0, `RFC 8448 ${name}: ${equal} secrets and keys equal to the RFC's, none different`);
  }
  await page.goto(`${url}#simple/8`);
  await page.waitForFunction(() => document.body.dataset.step === '8');

  // 3. Step back and forth, by flight and by message; the diagrams follow.
  await page.click('#first');
  await page.click('#next-flight');
  check((await step()) === 1, 'forward one flight: step 1');
  check((await text('#client-state')) === 'WAIT_SH' && (await text('#server-state')) === 'WAIT_FLIGHT2',
    'after the ClientHello: client WAIT_SH, server WAIT_FLIGHT2');
  await page.click('#next-msg');
  check((await text('#position')).includes('step 2 of 8, message 1'), 'forward one message: into flight 2');
  check((await text('#client-state')) === 'WAIT_EE', 'after the ServerHello the client is in WAIT_EE…');
  await page.click('#next-msg');
  check((await text('#client-state')) === 'WAIT_CERT_CR', '…after EncryptedExtensions in WAIT_CERT_CR');
  await page.click('#next-msg');
  check((await text('#client-state')) === 'WAIT_CV', '…after the Certificate in WAIT_CV');
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot('message-step', 'one message at a time through the server flight: the client in WAIT_CV, highlighted in the Appendix A.1 diagram');
  await page.click('#prev-flight');
  check((await step()) === 1, 'back one flight: step 1');
  await page.click('#next-flight');
  await page.click('#next-flight');
  check((await step()) === 3 && (await text('#client-state')) === 'CONNECTED', 'forward two flights: step 3, client CONNECTED');
  await page.click('#prev-msg');
  check((await text('#position')).includes('step 3 of 8, message'), 'back one message');
  await page.goto(`${url}#simple/2.1`);
  await page.waitForFunction(() => document.body.dataset.step === '2');
  check((await text('#position')).includes('message 1') && (await text('#client-state')) === 'WAIT_EE',
    '#simple/2.1 opens the second flight at its first message (client in WAIT_EE)');
  await page.goto(`${url}#simple/99`);
  await page.waitForFunction(() => document.body.dataset.step === '8');
  check(true, '#simple/99 shows the end');

  // 4. Flip one byte of the server's Finished before delivery: the client's AEAD check fails.
  await page.click('#first');
  await page.click('#next-flight');
  const finished = page.locator('#next .field[data-field^="encrypted Finished.verify_data"] .b').first();
  check((await finished.count()) === 1, 'the pending server flight shows the encrypted Finished bytes');
  await finished.click();
  await page.click('#deliver-tampered');
  await page.waitForSelector('#failure');
  const failure = await text('#failure');
  check(failure.includes('client rejected flight 2') && failure.includes('bad_record_mac'),
    'the client rejects the flight with bad_record_mac');
  check(failure.includes('AeadTagMismatch') && failure.includes('WAIT_EE'), 'the failed check (AEAD tag) and the state (WAIT_EE) are shown');
  check(failure.includes('cannot be deprotected'), 'the RFC text of bad_record_mac is quoted');
  await page.locator('#failure').scrollIntoViewIfNeeded();
  await shot('tampered-finished', 'one byte of the server Finished flipped: the client fails the AEAD check in WAIT_EE and sends bad_record_mac, with RFC 9846 §6.2');

  // 5. A live handshake with a forced HelloRetryRequest.
  await page.selectOption('#scenario', 'live');
  await page.check('#opt-hrr');
  await page.click('#run');
  await page.click('#last');
  const timeline = await text('#timeline');
  check(timeline.includes('HelloRetryRequest'), 'the live handshake has a HelloRetryRequest');
  check(!timeline.includes('rejected') && !(await page.locator('#failure').count()), 'no flight of the live handshake is rejected');
  check((await page.evaluate(() => location.hash)).startsWith('#live+hrr/'), 'the fragment links to the live handshake with its option (#live+hrr/N)');
  const flights = await page.locator('#timeline li').count();
  check(flights >= 6, `the live handshake runs to its close (${flights} flights)`);
  await page.locator('#timeline').scrollIntoViewIfNeeded();
  await shot('live-hrr', 'a live handshake with fresh randomness and a forced HelloRetryRequest, every flight listed');

  // 6. The pcap and the key log: tshark decrypts both Finished messages.
  const saved = {};
  for (const [button, name] of [['#download-pcap', 'live.pcap'], ['#download-keylog', 'live.keys']]) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
    saved[name] = path.join(shots, name);
    await download.saveAs(saved[name]);
  }
  const fields = execFileSync('tshark', ['-r', saved['live.pcap'], '-o', `tls.keylog_file:${saved['live.keys']}`,
    '-Y', 'tls', '-T', 'fields', '-e', 'tls.handshake.type'], { encoding: 'utf8' });
  const types = fields.split(/[\s,]+/).filter(Boolean);
  const finishedCount = types.filter((t) => t === '20').length;
  check(finishedCount === 2, `tshark decrypts the live capture: ${finishedCount} Finished messages (want 2)`);
  check(types.includes('6') || types.filter((t) => t === '2').length >= 2, 'tshark sees the HelloRetryRequest and the ServerHello');
  await page.locator('#export').scrollIntoViewIfNeeded();
  await shot('export', 'the export section: pcap and NSS key log downloads, the key log lines');
} catch (err) {
  check(false, `the test ran to its end (${err.message})`);
  await shot('error', 'where the test stopped').catch(() => {});
}

await browser.close();
console.log(failures ? `web test: ${failures} check(s) FAILED` : 'web test: all checks passed');
process.exit(failures ? 1 : 0);
