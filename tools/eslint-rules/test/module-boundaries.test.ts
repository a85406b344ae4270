/**
 * The lint proof of issue 19 (Deliver 2): `mechlab/module-boundaries`, with the README's tag rules and
 * the repository's real project.json tags, rejects a cross-boundary import and a deep import, and
 * accepts the legal ones. Snippets are linted in memory as if they lived at the given paths.
 */
import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
import mechlab from '../module-boundaries.cjs';

const ROOT = join(__dirname, '..', '..', '..');

function lint(code: string, file: string): string[] {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: { parser: tseslint.parser, sourceType: 'module' },
        plugins: { mechlab },
        rules: {
          'mechlab/module-boundaries': ['error', { root: ROOT, depConstraints: mechlab.depConstraints }],
        },
      },
    ],
    { filename: join(ROOT, file) },
  );
  return messages.map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('mechlab/module-boundaries', () => {
  it('rejects a type:core package importing a type:io package (coalition → plot)', () => {
    const errors = lint("import { lineChart } from '@mechlab/plot';\n", 'packages/coalition/src/x.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /^mechlab\/module-boundaries: Project "coalition" \(type:core\) may not import "plot"/,
    );
  });

  it('rejects core (scope:base) importing any other package, and a backend importing the pool', () => {
    expect(lint("import { x } from '@mechlab/kernels';\n", 'packages/core/src/x.ts')).toHaveLength(1);
    expect(lint("import { x } from '@mechlab/sweep';\n", 'packages/kernels/src/x.ts')).toHaveLength(1);
    expect(lint("const s = require('@mechlab/cli');\n", 'packages/sweep/src/x.ts')).toHaveLength(1);
  });

  it('ccs (scope:ccs) may depend on core only, and core may not import ccs', () => {
    for (const dep of ['kernels', 'sweep', 'coalition', 'plot']) {
      const errors = lint(`import { x } from '@mechlab/${dep}';\n`, 'packages/ccs/src/x.ts');
      expect(errors).toEqual([
        expect.stringMatching(/Project "ccs" \(type:core, scope:ccs\) may not import/),
      ]);
    }
    expect(lint("import { solveCcs } from '@mechlab/ccs';\n", 'packages/core/src/x.ts')).toHaveLength(1);
    expect(lint("import { solveCcs } from '@mechlab/ccs';\n", 'packages/core/test/x.test.ts')).toHaveLength(
      1,
    );
    expect(lint("import { solveCcs } from '@mechlab/ccs';\n", 'packages/coalition/src/x.ts')).toHaveLength(1);
    expect(lint("import { x } from '@mechlab/ccs/src/quality';\n", 'packages/kernels/src/x.ts')).toEqual([
      expect.stringMatching(/Deep import/),
    ]);
  });

  it('rejects deep imports: by path, by undeclared subpath, into benchmarks', () => {
    const deep = [
      ["import { svgToPng } from '../../plot/src/png';\n", 'packages/sweep/src/x.ts'],
      ["import { svgToPng } from '@mechlab/plot/src/png';\n", 'apps/cli/src/x.ts'],
      ["import { x } from '@mechlab/core/dist/index';\n", 'packages/forum/src/x.ts'],
      ["export * from '../../../packages/sweep/test/fixtures/toy-experiment';\n", 'apps/cli/test/x.test.ts'],
      ["import { x } from '../packages/core/src/rng';\n", 'tools/x.ts'],
      ["import { run } from '../../../benchmarks/sweep/index';\n", 'apps/cli/src/x.ts'],
    ];
    for (const [code, file] of deep) {
      const errors = lint(code!, file!);
      expect([file, errors]).toEqual([file, [expect.stringMatching(/Deep import/)]]);
    }
  });

  it('accepts legal imports: core from anywhere, declared subpaths, own files, io → io, app → any package', () => {
    const legal = [
      ["import { Rng } from '@mechlab/core';\n", 'packages/coalition/src/x.ts'],
      ["import { expectMechlabError } from '@mechlab/core/testing';\n", 'packages/kernels/test/x.test.ts'],
      ["import { svgToPng } from '@mechlab/plot/png';\n", 'apps/cli/src/x.ts'],
      ["import wasmUrl from '../../../packages/kernels/build/release.wasm?url';\n", 'apps/web/src/x.ts'],
      ["import type * as P from '@mechlab/perplexity';\n", 'packages/forum/src/x.ts'],
      ["import { registerWasmBackend } from '@mechlab/kernels';\n", 'packages/sweep/src/x.ts'],
      ["import { runSweep } from '@mechlab/sweep';\n", 'apps/cli/src/x.ts'],
      ["import { helper } from '../src/internal';\n", 'packages/sweep/test/x.test.ts'],
      ["import { runMain } from '../apps/cli/src/main';\n", 'tools/x.ts'],
      ["import { x } from 'zod';\n", 'packages/core/src/x.ts'],
      ["import { Rng } from '@mechlab/core';\n", 'packages/ccs/src/x.ts'],
      ["import { solveCcs } from '@mechlab/ccs';\n", 'packages/kernels/src/x.ts'],
      ["import { ccsConformanceCases } from '@mechlab/ccs/testing';\n", 'packages/kernels/test/x.test.ts'],
      ["import { ccsRandomGraph } from '@mechlab/ccs';\n", 'packages/sweep/test/x.test.ts'],
      ["import { solveCcs } from '@mechlab/ccs';\n", 'apps/cli/src/x.ts'],
    ];
    for (const [code, file] of legal) expect(lint(code!, file!)).toEqual([]);
  });
});
