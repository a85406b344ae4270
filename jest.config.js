/** Jest runs every package's `test/` straight from TypeScript sources (no build needed).
 * Type checking is done once by `tsc --noEmit` in `npm test`, so ts-jest only transpiles. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/apps', '<rootDir>/tools'],
  testMatch: ['**/test/**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }],
  },
  moduleNameMapper: {
    // d3's packages are ES modules only; jest runs CommonJS, so it loads their UMD bundles (same code).
    '^(d3-[a-z-]+|internmap)$': '<rootDir>/node_modules/$1/dist/$1.js',
    '^@mechlab/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@mechlab/([a-z-]+)/([a-z-]+)$': [
      '<rootDir>/packages/$1/src/$2.ts',
      '<rootDir>/packages/$1/src/$2/index.ts',
    ],
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
};
