#!/usr/bin/env node
// Runs every benchmark suite (benchmarks/<suite>/index.ts) in its own process, one after the other so
// suites never compete for the CPU. `npm run bench -- ccs coalition` runs a subset.
// Results (benny JSON) land in benchmarks/results/<suite>/.
import { readdirSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'benchmarks');
const wanted = process.argv.slice(2);
const suites = readdirSync(benchDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(benchDir, d.name, 'index.ts')))
  .map((d) => d.name)
  .filter((s) => wanted.length === 0 || wanted.includes(s))
  .sort();
if (suites.length === 0) {
  console.error(`error: no benchmark suite matches ${wanted.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const s of suites) {
  console.log(`\n=== benchmarks/${s} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, s, 'index.ts')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    failed++;
    console.error(`benchmarks/${s} failed with status ${r.status}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
