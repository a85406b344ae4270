// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import mechlab from './tools/eslint-rules/module-boundaries.cjs';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/build/**',
      '.nx/**',
      'out/**',
      'coverage/**',
      '**/assembly/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Math'][property.name='random']",
          message: 'Use the seeded PRNG from @mechlab/core.',
        },
      ],
    },
  },
  {
    // Style rule 1: core is pure — no Node-only modules, no I/O.
    files: ['packages/core/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', '@mechlab/*'] },
      ],
    },
  },
  {
    // The CCS domain is pure like core (it runs in workers and browsers): no Node-only modules; it
    // imports only core's public entries (mechlab/module-boundaries, scope:ccs).
    files: ['packages/ccs/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            'node:*',
            'fs',
            'path',
            'os',
            'child_process',
            'worker_threads',
            '@mechlab/*/src/*',
            '@mechlab/*/dist/*',
          ],
        },
      ],
    },
  },
  {
    // Style rule 2: deep imports into another package's internals are forbidden.
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['packages/core/src/**/*.ts', 'packages/ccs/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: ['@mechlab/*/src/*', '@mechlab/*/dist/*', '**/benchmarks/**'] },
      ],
    },
  },
  {
    // Style rule 3: project tags and public entries (README "Project tags"), like @nx/enforce-module-boundaries.
    files: ['**/*.ts', '**/*.tsx', '**/*.mjs', '**/*.js', '**/*.cjs'],
    plugins: { mechlab },
    rules: {
      'mechlab/module-boundaries': [
        'error',
        { root: import.meta.dirname, depConstraints: mechlab.depConstraints },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
