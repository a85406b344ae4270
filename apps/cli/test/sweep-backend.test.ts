/** `mechlab sweep --backend` through the CLI's entry point (issue 12, Deliver 3). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli, expectBadInput } from './helpers';

let root: string;
beforeAll(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'mechlab-cli-backend-'))));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('mechlab sweep --backend', () => {
  it('an unknown backend: exit 2, one error line naming backend and listing ts and wasm, nothing written', async () => {
    const out = path.join(root, 'bad');
    const r = await cli(['sweep', 'ccs-vary-n', '--backend', 'cuda', '--out', out]);
    expectBadInput(r, 'backend');
    expect(r.stderr).toMatch(/"ts" or "wasm".*got "cuda"/);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('ts and wasm write the same rows.csv and aggregates.csv; manifest.json names the backend', async () => {
    const dirs: Record<string, string> = {};
    for (const b of ['ts', 'wasm']) {
      dirs[b] = path.join(root, b);
      const r = await cli([
        'sweep',
        'ccs-vary-n',
        '--replicates',
        '3',
        '--workers',
        '0',
        '--backend',
        b,
        '--out',
        dirs[b]!,
        '--json',
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect((JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { backend: string }).backend).toBe(b);
      const manifest = JSON.parse(fs.readFileSync(path.join(dirs[b]!, 'manifest.json'), 'utf8')) as {
        backend: string;
      };
      expect(manifest.backend).toBe(b);
    }
    for (const f of ['rows.csv', 'aggregates.csv']) {
      const ts = fs.readFileSync(path.join(dirs.ts!, f), 'utf8');
      expect(ts.split('\n').length).toBeGreaterThan(3);
      expect(fs.readFileSync(path.join(dirs.wasm!, f), 'utf8')).toBe(ts);
    }
  });

  it('--help documents --backend', async () => {
    const r = await cli(['sweep', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--backend B +kernel backend of every task: ts or wasm/);
  });
});
