/**
 * @jest-environment ./packages/perplexity/test/ort-environment.js
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureTinyModel, loadScorer } from '../src/index';
import { dynamicWidthGraph, linearGraph, tempDir, writeModelDir } from './helpers';

// Generous: ONNX Runtime work on a shared 2-core machine can be slow; typical tests take < 2 s.
jest.setTimeout(60_000);

let dir: string;
beforeAll(async () => {
  dir = await ensureTinyModel();
});

const small = new Float32Array(1000).map((_, i) => Math.sin(i) * 1e-3);

describe('clear errors for bad model directories', () => {
  test('missing directory, missing model.onnx', async () => {
    await expect(loadScorer('/nonexistent/model-dir')).rejects.toMatchObject({
      name: 'MechlabError',
      code: 'ERR_INVALID_INPUT',
      field: 'model',
      message: 'model: directory /nonexistent/model-dir not found',
    });
    const empty = tempDir();
    await expect(loadScorer(empty)).rejects.toMatchObject({
      message: `model: ${join(empty, 'model.onnx')} not found`,
    });
  });

  test('corrupt model.onnx', async () => {
    const d = writeModelDir(new Uint8Array([1, 2, 3, 4, 5, 0xff, 0xfe, 9]), dir);
    await expect(loadScorer(d)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: expect.stringMatching(
        new RegExp(`^model: ${join(d, 'model.onnx')} is not a valid ONNX model \\(.+\\)$`),
      ),
    });
  });

  test('missing or corrupt tokenizer.json', async () => {
    const d = writeModelDir(linearGraph(small), dir, []);
    await expect(loadScorer(d)).rejects.toMatchObject({
      message: `model: ${join(d, 'tokenizer.json')} not found`,
    });
    writeFileSync(join(d, 'tokenizer.json'), '{"version": "1.0", "model": {');
    await expect(loadScorer(d)).rejects.toMatchObject({
      message: expect.stringContaining('tokenizer.json is not valid JSON'),
    });
  });

  test('tokenizer/model vocabulary mismatch: declared width at load, dynamic width at first batch', async () => {
    const d = writeModelDir(linearGraph(small), dir);
    await expect(loadScorer(d)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'model: tokenizer vocabulary (50257) does not match logits width (1000)',
    });
    const dyn = writeModelDir(dynamicWidthGraph(1000), dir);
    const s = await loadScorer(dyn, { cache: false });
    try {
      await expect(s.score(['Hello world'])).rejects.toMatchObject({
        message: 'model: tokenizer vocabulary (50257) does not match logits width (1000)',
      });
    } finally {
      await s.close();
    }
  });

  test('wrong input names', async () => {
    const d = writeModelDir(linearGraph(small, { inputs: ['ids', 'attention_mask'] }), dir);
    await expect(loadScorer(d)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      message: 'model: expected input "input_ids", model has ["ids","attention_mask"]',
    });
    const extra = writeModelDir(
      {
        ...linearGraph(small),
        inputs: [
          ...linearGraph(small).inputs,
          { name: 'past_key_values.0.key', type: 'int64', shape: ['b', 's'] },
        ],
      },
      dir,
    );
    await expect(loadScorer(extra)).rejects.toMatchObject({
      message: expect.stringMatching(
        /^model: unsupported input "past_key_values\.0\.key" \(only input_ids, attention_mask, position_ids are fed\), model has \[/,
      ),
    });
  });

  test('wrong output name', async () => {
    const g = linearGraph(small);
    const d = writeModelDir(
      {
        ...g,
        outputs: [{ name: 'scores', type: 'float32', shape: ['b', 's', 1000] }],
        nodes: g.nodes.map((n) => (n.outputs[0] === 'logits' ? { ...n, outputs: ['scores'] } : n)),
      },
      dir,
    );
    await expect(loadScorer(d)).rejects.toMatchObject({
      message: 'model: expected output "logits", model has ["scores"]',
    });
  });

  test('NaN logits become an error, not a NaN perplexity', async () => {
    const vec = new Float32Array(50257).fill(0.001);
    vec[17] = NaN;
    const d = writeModelDir(linearGraph(vec), dir);
    const s = await loadScorer(d, { cache: false });
    try {
      await expect(s.score(['Hello world'])).rejects.toMatchObject({
        message: 'model: non-finite logits for texts[0]',
      });
    } finally {
      await s.close();
    }
  });

  test('bad options name the field', async () => {
    await expect(loadScorer(dir, { batch: 0 })).rejects.toMatchObject({
      code: 'ERR_OUT_OF_RANGE',
      field: 'options.batch',
    });
    await expect(loadScorer(dir, { backend: 'wasm' as never })).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      field: 'options.backend',
    });
    await expect(loadScorer(dir, { bogus: 1 } as never)).rejects.toMatchObject({
      code: 'ERR_INVALID_INPUT',
      field: 'options',
    });
  });
});
