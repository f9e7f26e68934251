import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SHOP_CONFIG, startHarness, waitFor } from './harness.js';

/** Debian's chromium, launched as TOOLCHAIN.md says (no background networking on a closed network). */
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const RESULTS = fileURLToPath(new URL('../test-results/', import.meta.url));

let h: Harness;
let browser: BrowserContext;
let profile: string;
let traffic: NodeJS.Timeout | undefined;

beforeAll(async () => {
  h = await startHarness({ config: SHOP_CONFIG, shopReplicas: 3 });
  profile = await mkdtemp(join(tmpdir(), 'kubesmart-chromium-'));
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\``);
  // A fresh profile directory (playwright passes it as --user-data-dir).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: FLAGS,
    viewport: { width: 1400, height: 1100 },
  });
  // Some traffic, so rates and percentiles have something to show.
  let n = 0;
  traffic = setInterval(() => {
    const paths = ['/catalog/products', '/cart/ada', '/order/user/ada', '/catalog/search?q=usb'];
    void fetch(`${h.url}${paths[n++ % paths.length]}`).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
  }, 20);
});

afterAll(async () => {
  if (traffic !== undefined) clearInterval(traffic);
  await browser?.close();
  await h?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe('dashboard at /mesh/', () => {
  it('shows every service and pod live, follows a breaker opening, and is captured in a screenshot', async () => {
    const page = await browser.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(h.url)) external.push(request.url());
    });
    await page.goto(`${h.url}/mesh/`);
    await expect(page.title()).resolves.toBe('kubesmart mesh');

    for (const service of ['catalog', 'cart', 'order']) {
      await page.locator(`article[data-service="${service}"] tbody tr[data-pod]`).nth(2).waitFor();
      const pods = await page
        .locator(`article[data-service="${service}"] tbody tr[data-pod]`)
        .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-pod')));
      expect(pods.sort()).toEqual(h.readyPods(service));
    }
    await waitFor('a request rate on the page', async () => {
      const text = await page.locator('article[data-service="catalog"] .service-head').textContent();
      return text !== null && /rate [1-9][\d.]*\/s/.test(text) && /p99 [\d.]+ ms/.test(text);
    });
    expect(await page.locator('#conn').textContent()).toBe('live');

    // A pod whose requests fail while its health checks pass: its breaker opens, and the page says so.
    const [bad] = h.readyPods('order');
    const broken = h.cluster.pods.handle(
      bad!,
      (req, res) => {
        res.writeHead(req.url === '/order/health' ? 200 : 500, { 'content-type': 'application/json' });
        res.end('{}');
      },
      { namespace: 'shop' },
    );
    try {
      await waitFor('the breaker of the failing pod to show open', async () => {
        await fetch(`${h.url}/order/user/x`).then((r) => r.arrayBuffer());
        const row = page.locator(`tr[data-pod="${bad}"]`);
        return (await row.count()) > 0 && ((await row.textContent()) ?? '').includes('circuit-open');
      });
      await page.locator('.events li.k-breaker').first().waitFor();
      // A driver (the demo) says what it is doing: the step and each pod's fault show beside the numbers.
      h.gateway.annotate({
        step: {
          index: 2,
          count: 6,
          title: 'break an order pod',
          explain: 'Its requests fail; its health checks pass.',
        },
        faults: { [bad!]: 'failing' },
      });
      await waitFor('the step and the fault on the page', async () => {
        const scenario = (await page.locator('#scenario').textContent()) ?? '';
        const row = (await page.locator(`tr[data-pod="${bad}"]`).textContent()) ?? '';
        return (
          scenario.includes('step 3/6') && scenario.includes('break an order pod') && row.includes('failing')
        );
      });
      await mkdir(RESULTS, { recursive: true });
      const file = join(RESULTS, 'dashboard.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
    } finally {
      broken.remove();
    }
    // The run ends: the summary shows; then the gateway goes away and the page keeps the last numbers.
    h.gateway.annotate({ faults: {}, finished: true, summary: ['summary', '  requests sent  1234'] });
    await waitFor('the summary on the page', async () =>
      ((await page.locator('#scenario').textContent()) ?? '').includes('requests sent  1234'),
    );
    await page.route('**/mesh/status', (route) => route.abort());
    await waitFor('the page to say it is offline', async () =>
      ((await page.locator('#conn').textContent()) ?? '').startsWith('offline'),
    );
    // Still the last numbers: requests counted, not an empty page.
    expect(await page.locator('#totals').textContent()).toMatch(/[1-9]\d*requests/);
    expect(await page.locator(`article[data-service="order"] tbody tr[data-pod]`).count()).toBeGreaterThan(0);
    expect(external).toEqual([]);
    await page.close();
  });
});
