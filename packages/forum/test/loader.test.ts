import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MechlabError } from '@mechlab/core';
import { communityOf, loadStackExchange, parseDumpDate, readPostsXml } from '../src/loader';
import { type Question } from '../src/types';

const FIX = join(__dirname, 'fixtures');
const GARDEN = join(FIX, 'gardening', 'Posts.xml');
const WOOD = join(FIX, 'woodworking', 'Posts.xml');

describe('readPostsXml on the project fixture', () => {
  it('keeps questions only, counts answers and wiki rows as non-questions, and skips malformed rows', async () => {
    const qs: Question[] = [];
    const s = await readPostsXml(GARDEN, {}, (q) => qs.push(q));
    expect(s.community).toBe('gardening');
    expect(s.questions).toBe(22);
    expect(qs).toHaveLength(22);
    expect(s.nonQuestions).toBe(8); // 7 answers + 1 tag wiki
    expect(s.skipped).toBe(4);
    expect(s.skipReasons).toEqual({
      'invalid CreationDate': 1,
      'missing ViewCount': 1,
      'bad-xml: invalid entity': 1,
      'bad-xml: unexpected character "&"': 1,
    });
    expect(s.examples.map((e) => e.line)).toEqual([21, 24, 27, 30]);
    expect(s.rows).toBe(s.questions + s.nonQuestions + s.skipped);
  });

  it('decodes XML then HTML, strips tags and splits both tag styles', async () => {
    const qs: Question[] = [];
    await readPostsXml(GARDEN, {}, (q) => qs.push(q));
    const byTitle = (prefix: string): Question => qs.find((q) => q.title.startsWith(prefix))!;
    expect(byTitle('How deep')).toMatchObject({
      id: 101,
      title: 'How deep should I plant garlic cloves?',
      body: 'I have hard-neck garlic & clay soil. How deep should the cloves go?',
      tags: ['garlic', 'planting'],
      community: 'gardening',
      creationDate: Date.UTC(2024, 6, 1, 8, 9, 25, 666),
    });
    expect(byTitle('Why are my tomato').tags).toEqual(['tomatoes', 'diseases']); // <a><b> style
    expect(byTitle('Can I compost').body).toBe(
      'I read that citrus is "bad" for worms. Is that true for a hot compost pile?',
    );
    expect(byTitle('Why do my cucumbers').body).toContain('Café');
    expect(byTitle('Best cover crop').body).toContain('🌱');
    expect(byTitle('Why are my seedlings').body).toBe('Under an LED bar at 40 cm. Too far?'); // <script> dropped
    expect(byTitle('How to stop powdery').body).toContain('spray: 1 tbsp baking soda / 1 l water');
    expect(byTitle('What is eating').body).toBe('Ragged holes appear overnight — slugs or something else?');
    // An escaped "&lt;sigh&gt;" in the HTML is text, not a tag, and survives.
    expect(byTitle('How to get rid of bindweed').body).toBe('It comes back from every root fragment <sigh>.');
    for (const q of qs) {
      if (!q.title.includes('bindweed')) expect(q.body).not.toMatch(/<[a-z/]/i);
      expect(Number.isInteger(q.viewCount) && q.viewCount >= 0).toBe(true);
    }
  });

  it('gives the same result for any chunk size (CRLF file, tiny chunks split lines and characters)', async () => {
    const all = async (hwm: number): Promise<[Question[], number]> => {
      const qs: Question[] = [];
      const s = await readPostsXml(WOOD, { highWaterMark: hwm }, (q) => qs.push(q));
      return [qs, s.skipped];
    };
    const [ref, skipped] = await all(1 << 20);
    expect(ref).toHaveLength(20);
    expect(skipped).toBe(6);
    for (const hwm of [1, 7, 64, 1000]) expect(await all(hwm)).toEqual([ref, skipped]);
  });

  it('filters by date range and caps body length', async () => {
    const qs: Question[] = [];
    const s = await readPostsXml(GARDEN, { from: '2024-07-10', to: '2024-07-20', maxBodyChars: 10 }, (q) =>
      qs.push(q),
    );
    expect(s.outOfRange + s.questions).toBe(22);
    for (const q of qs) {
      expect(q.creationDate).toBeGreaterThanOrEqual(Date.UTC(2024, 6, 10));
      expect(q.creationDate).toBeLessThan(Date.UTC(2024, 6, 20));
      expect(q.body.length).toBeLessThanOrEqual(10);
    }
  });

  it('counts an over-long line as one malformed row and goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forum-'));
    try {
      const p = join(dir, 'Posts.xml');
      const ok =
        '<row Id="1" PostTypeId="1" CreationDate="2024-07-01T00:00:00.000" ViewCount="5" Title="t" Body="b" />';
      writeFileSync(p, `<posts>\n<row Id="2" Body="${'x'.repeat(5000)}" />\n${ok}\n</posts>`);
      const qs: Question[] = [];
      const s = await readPostsXml(p, { maxLineChars: 1000, highWaterMark: 256 }, (q) => qs.push(q));
      expect(s.skipReasons).toEqual({ 'line too long': 1 });
      expect(qs.map((q) => q.id)).toEqual([1]);
      expect(s.lines).toBe(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('loadStackExchange', () => {
  it('merges communities into one time-ordered corpus and totals the skipped rows', async () => {
    const c = await loadStackExchange([GARDEN, join(FIX, 'woodworking')]); // a file and a folder
    expect(c.questions).toHaveLength(42);
    expect(c.skipped).toBe(10);
    expect(c.stats.map((s) => s.community)).toEqual(['gardening', 'woodworking']);
    for (let i = 1; i < c.questions.length; i++) {
      expect(c.questions[i]!.creationDate).toBeGreaterThanOrEqual(c.questions[i - 1]!.creationDate);
    }
    expect(new Set(c.questions.map((q) => q.community))).toEqual(new Set(['gardening', 'woodworking']));
  });

  it('rejects unreadable paths and repeated communities, naming data[i]', async () => {
    const missing = loadStackExchange([GARDEN, join(FIX, 'nope', 'Posts.xml')]);
    await expect(missing).rejects.toThrow(MechlabError);
    await expect(missing).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT', field: 'data[1]' });
    await expect(missing).rejects.toThrow(/^data\[1\]: cannot read/);
    await expect(loadStackExchange([GARDEN, GARDEN])).rejects.toThrow(
      'data[1]: community "gardening" is also data[0]',
    );
    await expect(loadStackExchange([])).rejects.toMatchObject({ code: 'ERR_INVALID_INPUT', field: 'data' });
  });

  it('parses dump dates strictly and names communities by folder', () => {
    expect(parseDumpDate('2024-07-23T10:11:12.345')).toBe(Date.UTC(2024, 6, 23, 10, 11, 12, 345));
    expect(parseDumpDate('2024-07-23T10:11:12')).toBe(Date.UTC(2024, 6, 23, 10, 11, 12));
    expect(parseDumpDate('2024-02-30T00:00:00')).toBeNaN();
    expect(parseDumpDate('yesterday')).toBeNaN();
    expect(communityOf('/d/askubuntu.com/Posts.xml')).toBe('askubuntu.com');
    expect(communityOf('/d/unix.xml')).toBe('unix');
  });
});
