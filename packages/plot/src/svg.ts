/**
 * Low-level SVG text helpers: XML escaping, finite-only number formatting and text-width estimation.
 * Everything here is pure string manipulation, so the output is byte-identical for identical input.
 */

/**
 * Escape a string for use as XML character data or inside a double-quoted attribute, dropping the
 * code points XML 1.0 forbids (C0 controls other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF).
 *
 * Complexity: O(length).
 * @example escapeXml('a < b & "c"') // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeXml(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff) {
        out += text[i]! + text[i + 1]!;
        i++;
      }
      continue; // lone high surrogate: dropped
    }
    if (c >= 0xdc00 && c <= 0xdfff) continue; // lone low surrogate
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) continue;
    if (c === 0xfffe || c === 0xffff) continue;
    switch (c) {
      case 0x26:
        out += '&amp;';
        break;
      case 0x3c:
        out += '&lt;';
        break;
      case 0x3e:
        out += '&gt;';
        break;
      case 0x22:
        out += '&quot;';
        break;
      case 0x27:
        out += '&apos;';
        break;
      default:
        out += text[i]!;
    }
  }
  return out;
}

/**
 * Format a coordinate with at most two decimals. Throws on a non-finite value: callers filter NaN and
 * infinities out before mapping, and this guard makes "NaN in the SVG" impossible rather than unlikely.
 */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`internal: non-finite SVG coordinate ${v}`);
  const r = Math.round(v * 100) / 100;
  return r === 0 ? '0' : String(r);
}

/** Approximate advance width of `text` in a sans-serif face at `size` px (no font metrics needed). */
export function textWidth(text: string, size: number): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) continue;
    w += c === 0x20 ? 0.32 : c >= 0x41 && c <= 0x5a ? 0.68 : c === 0x69 || c === 0x6c ? 0.28 : 0.58;
  }
  return w * size;
}

/** A `<text>` element with escaped content. */
export function text(
  x: number,
  y: number,
  content: string,
  attrs: Readonly<Record<string, string | number>> = {},
): string {
  return `<text x="${num(x)}" y="${num(y)}"${attrString(attrs)}>${escapeXml(content)}</text>`;
}

/** Serialise attributes in the given (deterministic) key order, escaping values. */
export function attrString(attrs: Readonly<Record<string, string | number>>): string {
  let s = '';
  for (const k of Object.keys(attrs)) {
    const v = attrs[k]!;
    s += ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v)}"`;
  }
  return s;
}
