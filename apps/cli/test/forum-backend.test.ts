/** `mechlab forum --backend ts|wasm`: identical tables, the backend named in the output (issue 12). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, expectBadInput } from './helpers';

describe('mechlab forum --backend', () => {
  it('ts and wasm print identical tables and JSON apart from the backend they name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forum-backend-'));
    const run = (backend: string, json: boolean) =>
      cli([
        'forum',
        '--rounds',
        '3',
        '--M',
        '30',
        '--K',
        '12',
        '--seed',
        '4',
        '--out',
        join(dir, backend),
        '--backend',
        backend,
        '--utility-g', // U_G is not under test here
        'unigram',
        ...(json ? ['--json'] : []),
      ]);
    const [a, b] = [await run('wasm', true), await run('ts', true)];
    expect([a.code, b.code]).toEqual([0, 0]);
    const ja = JSON.parse(a.stdout) as { benchmark: { backend: string }; figure: unknown };
    const jb = JSON.parse(b.stdout) as { benchmark: { backend: string }; figure: unknown };
    expect([ja.benchmark.backend, jb.benchmark.backend]).toEqual(['wasm', 'ts']);
    expect({ ...ja, figure: null, benchmark: { ...ja.benchmark, backend: '' } }).toEqual({
      ...jb,
      figure: null,
      benchmark: { ...jb.benchmark, backend: '' },
    });
    const [ha, hb] = [await run('wasm', false), await run('ts', false)];
    expect(ha.stdout).toContain('Nash benchmark kernels: backend wasm');
    const table = (s: string) => s.slice(0, s.indexOf('Nash benchmark kernels'));
    expect(table(ha.stdout)).toBe(table(hb.stdout));
  });

  it('an unknown backend → exit 2, one error line naming --backend', async () => {
    expectBadInput(
      await cli(['forum', '--rounds', '1', '--backend', 'gpu']),
      '--backend must be one of "ts", "wasm", got "gpu"',
    );
  });
});
