#!/usr/bin/env node
'use strict';
// Thin launcher: the compiled CLI lives in ../dist (built by `npm ci` via the root `prepare` script).
let main;
try {
  main = require('../dist/main.js');
} catch (e) {
  if (e && e.code === 'MODULE_NOT_FOUND' && String(e.message).includes('dist/main.js')) {
    process.stderr.write('error: mechlab is not built yet; run `npm run build` in the repository root\n');
    process.exit(1);
  }
  throw e;
}
main.runMain(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
