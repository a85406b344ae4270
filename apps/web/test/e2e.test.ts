/**
 * The web app end to end in real headless Chromium (the Debian `chromium` package, installed by
 * `tools/ensure-chromium.mjs` in `npm test`'s pretest; driven through puppeteer-core with an explicit
 * executable path — nothing is downloaded). The built app (`apps/web/dist`, part of the root build) is
 * served from a loopback port, and every page result is compared with the CLI's on the same input:
 * `solve ccs` on every CCS example × algorithm × backend, `shapley`/`mpw` on every game example, and a
 * browser sweep against `mechlab sweep` on the same spec (rows.csv and aggregates.csv byte for byte).
 *
 * `WEB_SCREENSHOTS=1 npx jest apps/web` also writes the README's screenshots to apps/web/docs/.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

jest.setTimeout(240_000);

const repo = resolve(__dirname, '..', '..', '..');
const dist = join(repo, 'apps', 'web', 'dist');
const cliBin = join(repo, 'apps', 'cli', 'bin', 'mechlab.js');
const docs = join(repo, 'apps', 'web', 'docs');
const screenshots = process.env['WEB_SCREENSHOTS'] === '1';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

function chromiumPath(): string {
  const candidates = [process.env['CHROMIUM_PATH'], 'chromium', 'chromium-browser', 'google-chrome'];
  for (const c of candidates) {
    if (!c) continue;
    const r = spawnSync('sh', ['-c', `command -v "${c}"`], { encoding: 'utf8' });
    if (r.status === 0 && r.stdout.trim() !== '') return r.stdout.trim();
  }
  throw new Error(
    'no Chromium found: run `node tools/ensure-chromium.mjs` (installs the Debian chromium package) or set CHROMIUM_PATH',
  );
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run CLI invocations a few at a time (each is a fresh Node process). */
async function cliAll(argvs: string[][], parallel = 3): Promise<CliResult[]> {
  const out = new Array<CliResult>(argvs.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < argvs.length; i = next++) out[i] = await cli(argvs[i]!);
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  return out;
}

function cli(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [cliBin, ...args],
      { cwd: repo, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}

/** The CLI's number format (apps/cli/src/format.ts `fmt`) with 6 decimals. */
function fmt6(x: number): string {
  const s = x.toFixed(6);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

let server: Server;
let base: string;
let browser: Browser;
let page: Page;
let tmp: string;

beforeAll(async () => {
  if (!existsSync(join(dist, 'index.html'))) {
    throw new Error(
      `${dist}/index.html is missing: build the app first (npm run build, or npx nx run web:build)`,
    );
  }
  if (!existsSync(join(repo, 'apps', 'cli', 'dist', 'main.js'))) {
    throw new Error('the CLI is not built: run npm run build first');
  }
  tmp = mkdtempSync(join(tmpdir(), 'mechlab-web-'));
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(dist, rel);
    if (!file.startsWith(dist) || !existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 1200, height: 900 });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(base, { waitUntil: 'load' });
  if (problems.length > 0) throw new Error(`the app failed to start: ${problems.join('; ')}`);
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Open a deep link and wait until its computation has finished (status `done` or `failed`). */
async function openLink(
  hash: string,
  statusSelector = '[data-testid=results] [data-testid=status]',
): Promise<string> {
  await page.evaluate((h) => {
    document.getElementById('app')!.replaceChildren();
    location.hash = h;
  }, hash);
  await page.waitForFunction(
    (sel) => ['done', 'failed'].includes(document.querySelector(sel)?.textContent ?? ''),
    { timeout: 60_000 },
    statusSelector,
  );
  return page.$eval(statusSelector, (e) => e.textContent ?? '');
}

const text = (testid: string): Promise<string> =>
  page.$eval(`[data-testid="${testid}"]`, (e) => e.textContent ?? '');

async function shot(name: string): Promise<void> {
  if (!screenshots) return;
  mkdirSync(docs, { recursive: true });
  await page.screenshot({ path: join(docs, `${name}.png`), fullPage: true });
}

describe('mechlab web app in headless Chromium', () => {
  test('CCS designer: every example × algorithm × backend equals `mechlab solve ccs --json` (or its error)', async () => {
    const examples = ['ccs-small', 'ccs-tullock-unstable', 'ccs-wta-unstable'];
    const algos = ['exact', 'gcs', 'nsr', 'hop', 'equal'];
    const backends = ['ts', 'wasm'];
    const cases = examples.flatMap((ex) =>
      algos.flatMap((algo) => backends.map((backend) => ({ ex, algo, backend }))),
    );
    const wants = await cliAll(
      cases.map(({ ex, algo, backend }) => [
        'solve',
        'ccs',
        '--algo',
        algo,
        '--backend',
        backend,
        '--instance',
        `examples/${ex}.json`,
        '--json',
      ]),
    );
    let compared = 0;
    let errors = 0;
    for (const [i, { ex, algo, backend }] of cases.entries()) {
      const want = wants[i]!;
      const status = await openLink(`#/ccs?example=${ex}&algo=${algo}&backend=${backend}`);
      const where = `${ex} ${algo} ${backend}`;
      if (want.code === 0) {
        expect(`${where}: ${status}`).toBe(`${where}: done`);
        const cliJson = JSON.parse(want.stdout) as { welfare: number; backend: string; p: number[] };
        expect(JSON.parse(await text('raw'))).toEqual(cliJson);
        expect(await text('welfare')).toBe(fmt6(cliJson.welfare));
        expect(await text('backend')).toBe(cliJson.backend);
        expect(await text('p-0')).toBe(fmt6(cliJson.p[0]!));
        compared++;
      } else {
        expect(`${where}: ${status}`).toBe(`${where}: failed`);
        expect(await text('error')).toBe(want.stderr.trim());
        errors++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(24); // both backends ran nsr, hop, gcs and equal everywhere
    expect(errors).toBeLessThanOrEqual(examples.length); // only exact × wasm (not implemented) may fail
  });

  test('CCS designer: a random instance (n, ρ, seed) solves as the CLI solves the same instance', async () => {
    const status = await openLink('#/ccs?example=random&algo=gcs&backend=wasm&n=24&rho=0.15&seed=3');
    expect(status).toBe('done');
    await shot('ccs');
    const file = join(tmp, 'random-instance.json');
    writeFileSync(file, await text('instance-json'));
    const [viaWasm, viaTs] = await cliAll([
      ['solve', 'ccs', '--algo', 'gcs', '--backend', 'wasm', '--instance', file, '--json'],
      ['solve', 'ccs', '--algo', 'gcs', '--backend', 'ts', '--instance', file, '--json'],
    ]);
    expect(JSON.parse(await text('raw'))).toEqual(JSON.parse(viaWasm!.stdout));
    expect(JSON.parse(viaTs!.stdout)).toMatchObject({ welfare: JSON.parse(viaWasm!.stdout).welfare });
    expect(await page.$$eval('[data-testid=graph] circle', (c) => c.length)).toBe(24);
  });

  test('CCS designer: a bad instance file shows the same field-naming message as the CLI', async () => {
    const bad = join(tmp, 'bad-instance.json');
    writeFileSync(bad, JSON.stringify({ theta: [0.5, 0.4], cost: [0.2, -1], edges: [] }));
    const want = await cli(['solve', 'ccs', '--algo', 'gcs', '--instance', bad]);
    expect(want.code).toBe(2);
    await page.evaluate(() => {
      document.getElementById('app')!.replaceChildren();
      location.hash = '#/ccs?example=file';
    });
    const input = await page.waitForSelector('input[data-testid=file]');
    await input!.uploadFile(bad);
    // The page shows "drop or pick a file first" until the upload is read: wait for the upload's own error.
    await page.waitForFunction(
      () => {
        const e = document.querySelector('[data-testid=error]');
        return e !== null && !(e.textContent ?? '').includes('drop or pick');
      },
      { timeout: 30_000 },
    );
    const shown = await text('error');
    expect(shown).toContain('instance.cost[1]');
    expect(shown).toBe(want.stderr.trim());

    // Dropped on the drop zone (a real drop event carrying a File): not JSON at all.
    await page.evaluate(() => {
      document.querySelector('[data-testid=results]')!.replaceChildren();
      const dt = new DataTransfer();
      dt.items.add(new File(['{"theta": [0.5,'], 'broken.json', { type: 'application/json' }));
      document
        .querySelector('.drop')!
        .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true }));
    });
    await page.waitForSelector('[data-testid=error]', { timeout: 30_000 });
    expect(await text('error')).toMatch(/^error: instance: "broken.json" is not valid JSON \(.+\)$/);
  });

  test('coalition calculator: Shapley and MPW, exact and sampled, equal `mechlab shapley|mpw --json`', async () => {
    const cases = ['game-cff', 'game-maxpool', 'game-pff'].flatMap((game) =>
      ['shapley', 'mpw'].flatMap((value) => ['exact', 'sample'].map((method) => ({ game, value, method }))),
    );
    const flagsOf = (method: string): string[] =>
      method === 'sample' ? ['--samples', '300', '--seed', '5'] : [];
    const wants = await cliAll(
      cases.map(({ game, value, method }) => [
        value,
        '--game',
        `examples/${game}.json`,
        '--method',
        method,
        ...flagsOf(method),
        '--json',
      ]),
    );
    let compared = 0;
    for (const [i, { game, value, method }] of cases.entries()) {
      const want = wants[i]!;
      const link = `#/coalition?example=${game}&value=${value}&method=${method}${method === 'sample' ? '&samples=300&seed=5' : ''}`;
      const status = await openLink(link);
      const where = `${game} ${value} ${method}`;
      if (want.code === 0) {
        expect(`${where}: ${status}`).toBe(`${where}: done`);
        const cliJson = JSON.parse(want.stdout) as { values: number[] };
        expect(JSON.parse(await text('raw'))).toEqual(cliJson);
        expect(await text('value-0')).toBe(fmt6(cliJson.values[0]!));
        compared++;
      } else {
        expect(`${where}: ${status}`).toBe(`${where}: failed`);
        expect(await text('error')).toBe(want.stderr.trim());
      }
      if (game === 'game-pff' && value === 'mpw' && method === 'exact') await shot('coalition');
    }
    expect(compared).toBeGreaterThanOrEqual(10); // only Shapley of the partition-function game is refused
  });

  test('sweep explorer: a browser sweep on several workers equals `mechlab sweep` byte for byte; its output folder opens as a figure', async () => {
    const spec = {
      experiment: 'ccs.random-graph',
      name: 'e2e-small',
      grid: { n: [8, 16, 30] },
      params: { rho: 0.2, exactMaxN: 10 },
      replicates: 30,
      seed: 11,
    };
    const specFile = join(tmp, 'spec.json');
    writeFileSync(specFile, JSON.stringify(spec));
    const outDir = join(tmp, 'cli-sweep');
    const want = await cli(['sweep', specFile, '--out', outDir, '--workers', '1']);
    expect(want.stderr).not.toContain('error:');
    expect(want.code).toBe(0);
    const rowsCsv = readFileSync(join(outDir, 'rows.csv'), 'utf8');
    const aggregatesCsv = readFileSync(join(outDir, 'aggregates.csv'), 'utf8');

    const link = `#/sweep?spec=${encodeURIComponent(JSON.stringify(spec))}&workers=3&run=1`;
    await page.evaluate((h) => {
      document.getElementById('app')!.replaceChildren();
      location.hash = h;
    }, link);
    await page.waitForFunction(
      () =>
        ['done', 'failed', 'cancelled'].includes(
          document.querySelector('[data-testid=sweep-status]')?.textContent ?? '',
        ),
      { timeout: 120_000 },
    );
    expect(await text('sweep-status')).toBe('done');
    expect(await text('aggregates-csv')).toBe(aggregatesCsv);
    expect(await text('rows-csv')).toBe(rowsCsv);
    const progress = await page.$eval('[data-testid=progress]', (e) => [
      (e as HTMLProgressElement).value,
      (e as HTMLProgressElement).max,
    ]);
    expect(progress[0]).toBe(progress[1]);

    // The CLI's output folder, opened in the explorer: the figure and the aggregates (6 decimals).
    const picker = await page.$('input[data-testid=output-files]');
    await picker!.uploadFile(join(outDir, 'manifest.json'), join(outDir, 'aggregates.csv'));
    await page.waitForSelector('[data-testid=opened] [data-testid=figure] svg', { timeout: 30_000 });
    const firstMean = Number(aggregatesCsv.split('\n')[1]!.split(',')[5]);
    expect(await page.$eval('[data-testid=opened] [data-testid="agg-0-mean"]', (e) => e.textContent)).toBe(
      fmt6(firstMean),
    );
    await shot('sweep');

    // A broken aggregates.csv names the missing column.
    const bad = join(tmp, 'bad', 'aggregates.csv');
    mkdirSync(join(tmp, 'bad'));
    writeFileSync(bad, aggregatesCsv.replace('mean', 'average'));
    await picker!.uploadFile(join(outDir, 'manifest.json'), bad);
    await page.waitForSelector('[data-testid=opened] [data-testid=error]', { timeout: 30_000 });
    expect(await page.$eval('[data-testid=opened] [data-testid=error]', (e) => e.textContent)).toContain(
      'aggregates.csv header must have a column "mean"',
    );
  });

  test('sweep explorer: a bad spec shows the same field-naming message as `mechlab sweep`', async () => {
    const spec = { experiment: 'ccs.random-graph', grid: { n: [10, 0] }, replicates: 5, seed: 1 };
    const file = join(tmp, 'bad-spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const want = await cli(['sweep', file, '--out', join(tmp, 'bad-spec-out')]);
    expect(want.code).toBe(2);
    await page.evaluate(
      (h) => {
        document.getElementById('app')!.replaceChildren();
        location.hash = h;
      },
      `#/sweep?spec=${encodeURIComponent(JSON.stringify(spec))}&run=1`,
    );
    await page.waitForSelector('[data-testid=ran] [data-testid=error]', { timeout: 30_000 });
    const shown = await page.$eval('[data-testid=ran] [data-testid=error]', (e) => e.textContent);
    expect(shown).toContain('spec.grid.n[1]');
    expect(shown).toBe(want.stderr.trim());
  });

  test('sweep explorer: cancel stops a running sweep', async () => {
    const spec = {
      experiment: 'ccs.random-graph',
      grid: { n: [300] },
      params: { rho: 0.5 },
      replicates: 100000,
      seed: 1,
      blockSize: 5,
    };
    await page.evaluate(
      (h) => {
        document.getElementById('app')!.replaceChildren();
        location.hash = h;
      },
      `#/sweep?spec=${encodeURIComponent(JSON.stringify(spec))}&workers=2&run=1`,
    );
    await page.waitForFunction(
      () =>
        Number((document.querySelector('[data-testid=progress]') as HTMLProgressElement | null)?.value) > 0,
      {
        timeout: 60_000,
      },
    );
    await page.click('[data-testid=cancel]');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=sweep-status]')?.textContent === 'cancelled',
      { timeout: 30_000 },
    );
    const { value, max } = await page.$eval('[data-testid=progress]', (e) => ({
      value: (e as HTMLProgressElement).value,
      max: (e as HTMLProgressElement).max,
    }));
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(max);
  });
});
