/**
 * The small XML and HTML handling the Stack Exchange loader needs, written for the dump's row format
 * instead of pulling in a general XML parser:
 *
 * - `scanRows(line)` parses the `<row A="…" B='…' />` elements of one physical line of `Posts.xml`
 *   (the dump writes one row per line; newlines inside values are escaped as `&#xA;`). Syntax is checked
 *   strictly — attribute names, `=`, quotes, no raw `<` inside values, no duplicate names, `/>` at the
 *   end — and a violation makes that row (and the rest of its line) one malformed row.
 * - `decodeXmlEntities` decodes the five predefined entities and numeric references, rejecting anything
 *   else (a bare `&` is malformed XML).
 * - `htmlToText` turns a question body (HTML) into plain text.
 *
 * Entities are decoded in two layers, as the dump encodes them. A `Body` attribute is HTML escaped once
 * for XML: `&lt;p&gt;caf&amp;eacute;&lt;/p&gt;`. The XML layer (`decodeXmlEntities`) knows only XML's
 * five entities and character references and yields the HTML `<p>caf&eacute;</p>`; `htmlToText` then
 * strips the tags and decodes HTML's full named-entity table (WHATWG, via the maintained `entities`
 * package's `decodeHTML`: legacy names without `;`, invalid references → U+FFFD, as a browser does), so
 * the scorer sees the text a reader sees: `café`. Tags are stripped before HTML entities are decoded, so
 * an escaped `&lt;p&gt;` in a body stays the text `<p>`.
 *
 * All three are single left-to-right scans: O(length of the input).
 */

import { decodeHTML, decodeXML } from 'entities';

// Module-level aliases: hot loops must not look up the global `Math` (slow inside vm contexts such as jest's).
const { max, min } = Math;

/** The raw (still entity-encoded) attribute values of one row, or why the row is malformed. */
export type RawRow = { ok: true; attrs: Map<string, string> } | { ok: false; reason: string };

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 128;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Parse every `<row …/>` element on one line. Lines that hold only the XML declaration, the `<posts>`
 * wrapper or whitespace give `[]`. Any other content is reported as malformed rows (one per element or
 * per stretch of unexpected text), so a damaged line is counted, never fatal. O(|line|).
 */
export function scanRows(line: string): RawRow[] {
  const out: RawRow[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    while (i < n && isSpace(line.charCodeAt(i))) i++;
    if (i >= n) break;
    if (
      line.startsWith('<row', i) &&
      (i + 4 >= n || isSpace(line.charCodeAt(i + 4)) || line[i + 4] === '/')
    ) {
      const r = parseRow(line, i + 4);
      out.push(r.row);
      if (!r.row.ok) break; // the rest of the line cannot be trusted
      i = r.end;
      continue;
    }
    if (line.startsWith('<?', i) || line.startsWith('<posts', i) || line.startsWith('</posts', i)) {
      const close = line.indexOf('>', i);
      if (close < 0) {
        out.push({ ok: false, reason: 'bad-xml: unterminated markup' });
        break;
      }
      i = close + 1;
      continue;
    }
    out.push({ ok: false, reason: 'bad-xml: unexpected content' });
    break;
  }
  return out;
}

function parseRow(s: string, start: number): { row: RawRow; end: number } {
  const attrs = new Map<string, string>();
  const n = s.length;
  let i = start;
  const fail = (reason: string): { row: RawRow; end: number } => ({
    row: { ok: false, reason: 'bad-xml: ' + reason },
    end: n,
  });
  for (;;) {
    const before = i;
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (i >= n) return fail('row not closed');
    const c = s.charCodeAt(i);
    if (c === 47 /* / */) {
      if (s.charCodeAt(i + 1) !== 62 /* > */) return fail('expected "/>"');
      return { row: { ok: true, attrs }, end: i + 2 };
    }
    if (c === 62 /* > */) return fail('row must be an empty element "<row … />"');
    if (!isNameStart(c)) return fail(`unexpected character ${JSON.stringify(s[i])}`);
    if (i === before) return fail('attributes must be separated by whitespace');
    const nameStart = i;
    while (i < n && isNameChar(s.charCodeAt(i))) i++;
    const name = s.slice(nameStart, i);
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 61 /* = */) return fail(`attribute ${name} has no value`);
    i++;
    while (i < n && isSpace(s.charCodeAt(i))) i++;
    const q = s.charCodeAt(i);
    if (q !== 34 && q !== 39) return fail(`attribute ${name} value is not quoted`);
    const close = s.indexOf(q === 34 ? '"' : "'", i + 1);
    if (close < 0) return fail(`attribute ${name} value is not terminated`);
    const value = s.slice(i + 1, close);
    if (value.indexOf('<') >= 0) return fail(`attribute ${name} contains a raw "<"`);
    if (attrs.has(name)) return fail(`attribute ${name} is repeated`);
    attrs.set(name, value);
    i = close + 1;
  }
}

function isXmlChar(cp: number): boolean {
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/**
 * Every `&` of well-formed XML text starts one of XML 1.0's references (§4.1, §4.6): the five predefined
 * entities or a character reference. The dump declares no DTD, so no other entity name is defined.
 */
const XML_REFERENCE = /&(?:(?:lt|gt|amp|quot|apos)|#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8}));/y;

/**
 * Decode XML character references in an attribute value: `&lt; &gt; &amp; &quot; &apos;`, `&#N;` and
 * `&#xH;`. Returns `null` for anything else (unknown entity such as `&eacute;`, bare `&`, a reference to a
 * character XML forbids) — the caller counts the row as malformed. The syntax is checked here (the
 * `entities` package decodes leniently and never rejects); the decoding itself is `entities`' `decodeXML`.
 * O(|s|).
 */
export function decodeXmlEntities(s: string): string | null {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  while (amp >= 0) {
    XML_REFERENCE.lastIndex = amp;
    const m = XML_REFERENCE.exec(s);
    if (m === null) return null;
    const dec = m[1],
      hex = m[2];
    if ((dec !== undefined || hex !== undefined) && !isXmlChar(dec !== undefined ? +dec : parseInt(hex!, 16)))
      return null;
    amp = s.indexOf('&', XML_REFERENCE.lastIndex);
  }
  return decodeXML(s);
}

/** Tags whose content is not text. */
const DROP_CONTENT = new Set(['script', 'style']);
/** Tags that separate words (everything else — a, code, em, strong, … — is inline and joins). */
const BLOCK = new Set([
  'p',
  'br',
  'div',
  'li',
  'ul',
  'ol',
  'pre',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'table',
  'tr',
  'td',
  'th',
  'img',
  'dd',
  'dt',
  'dl',
]);

/**
 * Plain text of an HTML fragment: comments, `<script>`/`<style>` content and all tags removed (block
 * tags become a space, inline tags vanish), HTML entities decoded, runs of whitespace collapsed to one
 * space, trimmed, then cut to at most `maxChars` UTF-16 code units (never inside a surrogate pair).
 * A `<` that does not start a tag is kept as text. O(|html|).
 * @example htmlToText('<p>Use <code>a &amp;&amp; b</code></p><p>x&lt;y</p>') // 'Use a && b x<y'
 */
export function htmlToText(html: string, maxChars = Infinity): string {
  let out = '';
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0) {
      out += html.slice(i);
      break;
    }
    out += html.slice(i, lt);
    i = lt;
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    const next = html.charCodeAt(i + 1);
    const isTag = next === 47 || next === 33 || (next >= 65 && next <= 90) || (next >= 97 && next <= 122);
    const gt = isTag ? html.indexOf('>', i + 1) : -1;
    if (gt < 0) {
      out += '<';
      i++;
      continue;
    }
    const m = /^<\/?([A-Za-z][A-Za-z0-9]*)/.exec(html.slice(i, min(gt + 1, i + 24)));
    const name = m?.[1]?.toLowerCase() ?? '';
    i = gt + 1;
    if (DROP_CONTENT.has(name) && html[lt + 1] !== '/') {
      const end = html.toLowerCase().indexOf(`</${name}`, i);
      i = end < 0 ? n : max(i, html.indexOf('>', end) + 1 || n);
      out += ' ';
      continue;
    }
    if (BLOCK.has(name)) out += ' ';
    if (out.length > 4 * maxChars + 1024) break; // enough text; whitespace collapse only shrinks it
  }
  let text = decodeHTML(out).replace(/\s+/g, ' ').trim();
  if (text.length > maxChars) {
    let cut = maxChars;
    const c = text.charCodeAt(cut - 1);
    if (c >= 0xd800 && c <= 0xdbff) cut--;
    text = text.slice(0, cut);
  }
  return text;
}

/** Split a `Tags` value: `<a><b-c>` (older dumps) or `|a|b-c|` (2024+ dumps). O(|s|). */
export function splitTags(s: string): string[] {
  const t = s.trim();
  if (t.length === 0) return [];
  if (t.startsWith('<')) {
    const out: string[] = [];
    const re = /<([^<>]+)>/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(t)) !== null) out.push(m[1]!);
    return out;
  }
  return t.split('|').filter((x) => x.length > 0);
}
