/**
 * The CLI as a real process: exit statuses, stdout/stderr separation and no stack traces. Runs the TS
 * sources through tsx so the test needs no build.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
const main = join(root, 'apps/cli/src/main.ts');

function run(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mechlab process contract', () => {
  it('bad input: exit 2, empty stdout, one error line', () => {
    const r = run(['solve', 'ccs', '--algo', 'gcs', '--instance', 'does-not-exist.json', '--json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: --instance: cannot read "does-not-exist.json" \(no such file\)\n$/);
  });

  it('success: JSON on stdout, exit 0', () => {
    const r = run([
      'equilibrium',
      '--instance',
      'examples/ccs-tullock-unstable.json',
      '--mechanism',
      'tullock',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect((JSON.parse(r.stdout) as { exists: boolean }).exists).toBe(false);
  });
});
