#!/usr/bin/env node
// `npm test` runs this first (beside ensure-redis): the web app's end-to-end test drives a headless
// Chromium through puppeteer-core with an explicit executable path — no browser is downloaded at
// install time. On a fresh machine of this project's kind (Debian, root, apt reachable) the Debian
// `chromium` package is installed once; anywhere else this prints how to install it (or to point
// CHROMIUM_PATH at one) and the e2e test then fails with the same advice (it never skips silently).
import { spawnSync } from 'node:child_process';

const candidates = [process.env.CHROMIUM_PATH, 'chromium', 'chromium-browser', 'google-chrome'].filter(
  (c) => typeof c === 'string' && c.length > 0,
);
const has = (cmd) => spawnSync('sh', ['-c', `command -v "${cmd}"`], { stdio: 'ignore' }).status === 0;

if (candidates.some(has)) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!has('apt-get') || (!isRoot && !has('sudo'))) {
  console.warn(
    'ensure-chromium: no chromium found and apt-get is not usable here; install Chromium (e.g. apt-get install chromium) or set CHROMIUM_PATH for the web app e2e test',
  );
  process.exit(0);
}
const sudo = isRoot ? [] : ['sudo'];
console.log(
  'ensure-chromium: chromium not found; installing the Debian package (once) for the web app e2e test',
);
const run = (args) =>
  spawnSync(args[0], args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status === 0;
// The package lists may be stale or absent on a fresh machine: update first, then install.
run([...sudo, 'apt-get', 'update', '-qq']);
if (
  !run([
    ...sudo,
    'apt-get',
    'install',
    '-y',
    '-qq',
    '--no-install-recommends',
    'chromium',
    'fonts-dejavu-core',
  ])
) {
  console.warn('ensure-chromium: could not install chromium; the web app e2e test will fail');
}
