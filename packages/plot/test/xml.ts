/**
 * A small, regex-free XML well-formedness checker for the tests: balanced and properly nested tags,
 * quoted attributes without duplicates, valid entity references, a single root element. Not a full
 * XML parser (no DTDs, no CDATA) — the SVG we emit uses none of those.
 */
export interface XmlReport {
  root: string;
  elements: number;
  /** Count of elements per tag name. */
  tags: Record<string, number>;
  /** All character data, entity-decoded, concatenated with '\n' between text nodes. */
  text: string[];
  /** All attribute values (decoded). */
  attributes: string[];
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string, where: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] !== '&') {
      out += s[i];
      continue;
    }
    const end = s.indexOf(';', i);
    if (end < 0) throw new Error(`unterminated entity in ${where}`);
    const name = s.slice(i + 1, end);
    if (name.startsWith('#x')) out += String.fromCodePoint(parseInt(name.slice(2), 16));
    else if (name.startsWith('#')) out += String.fromCodePoint(parseInt(name.slice(1), 10));
    else if (name in ENTITIES) out += ENTITIES[name];
    else throw new Error(`unknown entity &${name}; in ${where}`);
    i = end;
  }
  return out;
}

export function checkWellFormed(xml: string): XmlReport {
  const stack: string[] = [];
  const report: XmlReport = { root: '', elements: 0, tags: {}, text: [], attributes: [] };
  let i = 0;
  let rootClosed = false;
  const n = xml.length;
  const readName = (): string => {
    const start = i;
    if (!isNameStart(xml.charCodeAt(i))) throw new Error(`bad name start at ${i}`);
    while (i < n && isNameChar(xml.charCodeAt(i))) i++;
    return xml.slice(start, i);
  };
  while (i < n) {
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i);
      if (end < 0) throw new Error('unterminated processing instruction');
      i = end + 2;
    } else if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i);
      if (end < 0) throw new Error('unterminated comment');
      i = end + 3;
    } else if (xml.startsWith('</', i)) {
      i += 2;
      const name = readName();
      while (isSpace(xml.charCodeAt(i))) i++;
      if (xml[i] !== '>') throw new Error(`expected '>' closing </${name}`);
      i++;
      const open = stack.pop();
      if (open !== name) throw new Error(`mismatched </${name}>, open element is <${open}>`);
      if (stack.length === 0) rootClosed = true;
    } else if (xml[i] === '<') {
      i++;
      if (rootClosed) throw new Error('content after the root element');
      const name = readName();
      if (stack.length === 0) {
        if (report.root !== '') throw new Error('more than one root element');
        report.root = name;
      }
      report.elements++;
      report.tags[name] = (report.tags[name] ?? 0) + 1;
      const seen = new Set<string>();
      for (;;) {
        const hadSpace = isSpace(xml.charCodeAt(i));
        while (isSpace(xml.charCodeAt(i))) i++;
        if (xml.startsWith('/>', i)) {
          i += 2;
          if (stack.length === 0) rootClosed = true;
          break;
        }
        if (xml[i] === '>') {
          i++;
          stack.push(name);
          break;
        }
        if (i >= n) throw new Error(`unterminated tag <${name}`);
        if (!hadSpace) throw new Error(`missing space before attribute in <${name}>`);
        const attr = readName();
        if (seen.has(attr)) throw new Error(`duplicate attribute ${attr} in <${name}>`);
        seen.add(attr);
        if (xml[i] !== '=') throw new Error(`expected '=' after ${attr} in <${name}>`);
        i++;
        const q = xml[i];
        if (q !== '"' && q !== "'") throw new Error(`unquoted attribute ${attr} in <${name}>`);
        const end = xml.indexOf(q, i + 1);
        if (end < 0) throw new Error(`unterminated attribute ${attr}`);
        const raw = xml.slice(i + 1, end);
        if (raw.includes('<')) throw new Error(`'<' in attribute ${attr} of <${name}>`);
        report.attributes.push(decode(raw, `${name}@${attr}`));
        i = end + 1;
      }
    } else {
      const end = xml.indexOf('<', i);
      const raw = xml.slice(i, end < 0 ? n : end);
      let blank = true;
      for (let k = 0; k < raw.length; k++) if (!isSpace(raw.charCodeAt(k))) blank = false;
      if (!blank) {
        if (stack.length === 0) throw new Error('text outside the root element');
        report.text.push(decode(raw, 'text'));
      }
      i = end < 0 ? n : end;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed elements: ${stack.join(' > ')}`);
  if (report.root === '') throw new Error('no root element');
  return report;
}
