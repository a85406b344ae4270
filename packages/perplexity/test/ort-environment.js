/**
 * Jest's node environment runs tests in a separate V8 context with its own typed-array constructors,
 * while onnxruntime-node's native binding builds output tensors from the main context's. The
 * `instanceof Float32Array` check in onnxruntime-common then fails ("A float32 tensor's data must be
 * type of function Float32Array()"). This environment shares the main context's typed arrays with the
 * test context. Use it with a `@jest-environment ./packages/perplexity/test/ort-environment.js` docblock.
 */
const { TestEnvironment } = require('jest-environment-node');

const SHARED = [
  'ArrayBuffer',
  'SharedArrayBuffer',
  'DataView',
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
];

class OrtEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of SHARED) this.global[name] = globalThis[name];
  }
}

module.exports = OrtEnvironment;
