import { decodeXmlEntities, htmlToText, scanRows, splitTags } from '../src/xml';

describe('scanRows (one Posts.xml line)', () => {
  it('parses a row with both quote styles and keeps values raw', () => {
    const rows = scanRows(`  <row Id="1" PostTypeId='1' Title="a &amp; b" Body="&lt;p&gt;x&lt;/p&gt;" />`);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    if (!r.ok) throw new Error(r.reason);
    expect(Object.fromEntries(r.attrs)).toEqual({
      Id: '1',
      PostTypeId: '1',
      Title: 'a &amp; b',
      Body: '&lt;p&gt;x&lt;/p&gt;',
    });
  });

  it('ignores the declaration and the <posts> wrapper, and reads several rows on one line', () => {
    expect(scanRows('<?xml version="1.0" encoding="utf-8"?>')).toEqual([]);
    expect(scanRows('<posts>')).toEqual([]);
    expect(scanRows('</posts>')).toEqual([]);
    expect(scanRows('   ')).toEqual([]);
    const two = scanRows('<posts><row Id="1" /><row Id="2"/></posts>');
    expect(two.map((r) => r.ok)).toEqual([true, true]);
  });

  it.each([
    ['<row Id="1" Title="open />', 'not terminated'],
    ['<row Id="1">', 'empty element'],
    ['<row Id="1" Id="2" />', 'repeated'],
    ['<row Id=1 />', 'not quoted'],
    ['<row Id="1"Title="x" />', 'separated by whitespace'],
    ['<row Id="<1>" />', 'raw "<"'],
    ['<row Id />', 'has no value'],
    ['hello', 'unexpected content'],
    ['<row Id="1"', 'not closed'],
  ])('reports %s as one malformed row (%s)', (line, why) => {
    const rows = scanRows(line);
    expect(rows).toHaveLength(1);
    const r = rows[0]!;
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain(why);
  });
});

describe('entities and HTML', () => {
  it('decodes the XML entities and character references, rejecting anything else', () => {
    expect(decodeXmlEntities('a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#65;&#x42;&#xA;')).toBe(
      `a <b> & "c" 'd' AB\n`,
    );
    expect(decodeXmlEntities('&#x1F331;')).toBe('🌱');
    expect(decodeXmlEntities('plain')).toBe('plain');
    expect(decodeXmlEntities('fish &amp chips')).toBeNull();
    expect(decodeXmlEntities('a & b')).toBeNull();
    expect(decodeXmlEntities('&nbsp;')).toBeNull(); // not an XML entity
    expect(decodeXmlEntities('&#0;')).toBeNull(); // not an XML character
    expect(decodeXmlEntities('caf&eacute;')).toBeNull(); // an HTML entity, undefined in XML
  });

  it('decodes a body in two layers: XML entities, then HTML entities in the HTML text', () => {
    // Posts.xml escapes the HTML body once for XML; an escaped "<p>" in the HTML stays text.
    const body = decodeXmlEntities('&lt;p&gt;caf&amp;eacute; &amp;lt;p&amp;gt; &amp;amp;&lt;/p&gt;');
    expect(body).toBe('<p>caf&eacute; &lt;p&gt; &amp;</p>');
    expect(htmlToText(body!)).toBe('café <p> &');
  });

  it('strips tags, drops script/style, decodes HTML entities and collapses spaces', () => {
    expect(htmlToText('<p>Use <code>a &amp;&amp; b</code></p><p>x&lt;y</p>')).toBe('Use a && b x<y');
    expect(htmlToText('<p>one</p>\n\n<pre><code>two\n  three</code></pre>')).toBe('one two three');
    expect(htmlToText('a<script>alert(1)</script>b<style>p{}</style>c')).toBe('a b c');
    // The full HTML named-entity table (body text is HTML): é, no-break space (collapsed), em dash.
    expect(htmlToText('<!-- note -->caf&eacute;&nbsp;&mdash;&#233;&#x41;')).toBe('café —éA');
    // HTML's rules, as a browser reads them: legacy names without ";", unknown names kept, bad
    // references → U+FFFD.
    expect(htmlToText('&copy 2024 &unknown; &#0;')).toBe('© 2024 &unknown; \uFFFD');
    expect(htmlToText('1 < 2 and <a href="u">link</a>')).toBe('1 < 2 and link');
    expect(htmlToText('<p>abcdef</p>', 3)).toBe('abc');
    expect(htmlToText('🌱🌱', 3)).toBe('🌱'); // never cuts a surrogate pair
  });

  it('splits both tag styles', () => {
    expect(splitTags('<soil><ph-level>')).toEqual(['soil', 'ph-level']);
    expect(splitTags('|soil|ph-level|')).toEqual(['soil', 'ph-level']);
    expect(splitTags('')).toEqual([]);
  });
});
