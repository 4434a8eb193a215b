// Timings of the browser demo in headless Chromium (run by ./bench): from navigation to the
// first handshake shown, each scenario's computation in the engines, and one step of the
// page (rendering only: a run is computed once, then shown a step at a time). A benchmark,
// not a test: it prints figures and asserts nothing.
//
//   node bench.mjs URL ROUNDS        (PLAYWRIGHT_DIR: where playwright-core is installed)

import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { chromium } = require(path.join(process.env.PLAYWRIGHT_DIR, 'node_modules', 'playwright-core'));
const [url, roundsArg] = process.argv.slice(2);
const rounds = Number(roundsArg ?? 5);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};
const ms = (x) => `${x.toFixed(1)} ms`;

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

const load = [], engines = [], steps = [];
const compute = {};
for (let r = 0; r < rounds; r++) {
  // A fresh context: nothing cached.
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${url}#simple`);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  const t = await page.evaluate(() => window.lucidTiming);
  load.push(t.firstShown);
  engines.push(t.loaded);
  // Every RFC 8448 trace, and live handshakes: computation in the engines.
  for (const name of ['resumed-0rtt', 'hrr', 'client-auth', 'compat', 'simple']) {
    await page.evaluate((n) => { location.hash = `#${n}/0`; }, name);
    await page.waitForFunction((n) => window.lucidTiming.runs.at(-1).scenario === n, name);
  }
  await page.selectOption('#scenario', 'live');
  for (const option of ['', 'hrr', 'resume', 'mtls']) {
    if (option) await page.check(`#opt-${option}`);
    await page.click('#run');
    await page.evaluate((o) => { window.lucidTiming.runs.at(-1).scenario = `live${o ? ` (${o})` : ''}`; }, option);
  }
  const runs = await page.evaluate(() => window.lucidTiming.runs);
  for (const run of runs) (compute[run.scenario] ??= []).push(run.ms);
  // One step of the page: RFC 8448 §3, flight by flight.
  await page.goto(`${url}#simple/0`);
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]');
  await page.evaluate(() => { window.lucidTiming.steps = []; });
  for (let i = 0; i < 8; i++) await page.click('#next-flight');
  steps.push(...(await page.evaluate(() => window.lucidTiming.steps)));
  await context.close();
}
await browser.close();

console.log(`rounds: ${rounds}`);
console.log(`engines loaded (fetch and compile the wasm), median: ${ms(median(engines))}`);
console.log(`page load to first handshake shown (#simple), median: ${ms(median(load))}`);
for (const [name, xs] of Object.entries(compute)) console.log(`compute ${name}, median: ${ms(median(xs))}`);
console.log(`one step (RFC 8448 §3, render a flight), median: ${ms(median(steps))}, max: ${ms(Math.max(...steps))}`);
