#!/usr/bin/env node
// `npm test` runs this first: the distributed-sweep integration tests start their own private
// redis-server on loopback, so the binary must exist. On a fresh machine of this project's kind
// (Debian, root, apt reachable) it is installed from Debian's packages; anywhere else this prints how to
// install it and the distributed tests then fail with the same advice (they never skip silently).
import { spawnSync } from 'node:child_process';

const bin = process.env.REDIS_SERVER ?? 'redis-server';
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;

if (has(bin)) process.exit(0);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!has('apt-get') || (!isRoot && !has('sudo'))) {
  console.warn(
    `ensure-redis: ${bin} not found and apt-get is not usable here; install Redis 7 (e.g. apt-get install redis-server) for the distributed-sweep tests`,
  );
  process.exit(0);
}
const sudo = isRoot ? [] : ['sudo'];
console.log(
  'ensure-redis: redis-server not found; installing the Debian package (once) for the distributed-sweep tests',
);
const run = (args) =>
  spawnSync(args[0], args.slice(1), {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  }).status === 0;
if (!run([...sudo, 'apt-get', 'install', '-y', '-qq', 'redis-server'])) {
  run([...sudo, 'apt-get', 'update', '-qq']);
  if (!run([...sudo, 'apt-get', 'install', '-y', '-qq', 'redis-server'])) {
    console.warn('ensure-redis: could not install redis-server; the distributed-sweep tests will fail');
  }
}
