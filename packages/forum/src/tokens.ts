/**
 * Allocation-free word tokenisation and 32-bit hashing, shared by the unigram proxy for `U_G`
 * (utility.ts) and the hashed features of both players' classifiers (features.ts).
 *
 * A token is a maximal run of ASCII letters/digits or of non-ASCII, non-space code units; ASCII letters
 * are lower-cased. Punctuation and whitespace separate tokens and are not tokens themselves. Each token
 * is hashed on the fly with FNV-1a (32 bit) over its lower-cased UTF-16 code units, so no substring is
 * ever allocated. (LLM tokenisers split words into sub-words; "first 64 tokens" for the proxy therefore
 * means the first 64 *words*, see README.)
 */

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { imul, max } = Math;

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** MurmurHash3's 32-bit finaliser: a bijective avalanche mix of a uint32. O(1). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the UTF-16 code units of `s`, mixed with `fmix32`. O(|s|). */
export function hashString(s: string, seed = 0): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return fmix32(h);
}

function isTokenChar(c: number): boolean {
  // ASCII digits and letters; every non-ASCII code unit except the common Unicode spaces.
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return c !== 0xa0 && c !== 0x2028 && c !== 0x2029 && c !== 0x3000 && !(c >= 0x2000 && c <= 0x200b);
}

/**
 * Write the hashes of the first `min(maxTokens, out.length)` tokens of `text` into `out`; returns how
 * many were written. The hash of a token equals `hashString(token with ASCII letters lower-cased)`.
 * A monomorphic loop with no callback — the hot path of features and the proxy. O(|text|), stops early.
 */
export function tokenizeInto(text: string, maxTokens: number, out: Uint32Array): number {
  const limit = maxTokens < out.length ? maxTokens : out.length;
  let n = 0;
  let i = 0;
  const len = text.length;
  while (i < len && n < limit) {
    let c = text.charCodeAt(i);
    if (!isTokenChar(c)) {
      i++;
      continue;
    }
    let h = FNV_OFFSET;
    while (i < len) {
      c = text.charCodeAt(i);
      if (!isTokenChar(c)) break;
      if (c >= 65 && c <= 90) c |= 32;
      h = imul(h ^ c, FNV_PRIME);
      i++;
    }
    out[n++] = fmix32(h);
  }
  return n;
}

let buffer = new Uint32Array(1024);

/** A shared token buffer able to hold every token of a text of `length` characters. */
export function tokenBuffer(length: number): Uint32Array {
  const need = (length >> 1) + 1; // tokens are separated by at least one character
  if (buffer.length < need) buffer = new Uint32Array(max(need, 2 * buffer.length));
  return buffer;
}

/** The token hashes of the first `maxTokens` tokens of `text`. O(|text|). */
export function tokenHashes(text: string, maxTokens = Infinity): Uint32Array {
  const buf = tokenBuffer(text.length);
  return buf.slice(0, tokenizeInto(text, maxTokens, buf));
}

/** The text the paper scores: title, a blank line, then the body (seed 000 §3, "title + question content"). */
export function questionText(q: { title: string; body: string }): string {
  return q.body.length === 0 ? q.title : q.title + '\n\n' + q.body;
}
