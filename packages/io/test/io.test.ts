import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as zlib from 'node:zlib';
import fc from 'fast-check';
import { isMechlabError } from '@mechlab/core';
import {
  assertInside,
  checkInputFile,
  claimOutDir,
  crc32,
  openAtomicWriter,
  openInside,
  readInputText,
  reserveAtomicTemp,
  removeStaleTemps,
  resolveInside,
  writeInside,
} from '@mechlab/io';
import { OWNER_FILE } from '../src/claim';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'mechlab-io-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Run `f`, expect a MechlabError naming `field` whose message matches `re`. */
function refuses(f: () => unknown, field: string, re?: RegExp): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(isMechlabError(err)).toBe(true);
  const e = err as { field?: string; message: string };
  expect(e.field).toBe(field);
  expect(e.message.startsWith(field + ':')).toBe(true);
  if (re) expect(e.message).toMatch(re);
}

/** `root/out` with `link` planted in it as a symlink to `root/victim.txt` (holding "precious"). */
function plant(link: string): { out: string; victim: string } {
  const out = join(root, 'out');
  mkdirSync(out, { recursive: true });
  const victim = join(root, 'victim.txt');
  writeFileSync(victim, 'precious');
  symlinkSync(victim, join(out, link));
  return { out, victim };
}

describe('resolveInside', () => {
  it('keeps names inside the directory and refuses escapes, absolute names, NUL and empty names', () => {
    expect(resolveInside('/tmp/o', 'a/../b.txt')).toBe('/tmp/o/b.txt');
    expect(resolveInside('/tmp/o', 'figs/a.svg')).toBe('/tmp/o/figs/a.svg');
    for (const bad of [
      '../x',
      '../../../../tmp/victim/rows.csv',
      'a/../../x',
      '/etc/passwd',
      '',
      '.',
      'a/..',
      'x\0y',
      'a/',
    ]) {
      refuses(() => resolveInside('/tmp/o', bad), '--out');
    }
    refuses(() => resolveInside('', 'a'), '--out', /must name a directory/);
  });
});

describe('writeInside', () => {
  it('writes atomically, creating subdirectories, and leaves no temporary file', () => {
    const out = join(root, 'out');
    const p = writeInside(out, 'sub/dir/a.json', '{"a":1}\n');
    expect(p).toBe(join(out, 'sub/dir/a.json'));
    expect(readFileSync(p, 'utf8')).toBe('{"a":1}\n');
    writeInside(out, 'sub/dir/a.json', new Uint8Array([104, 105]));
    expect(readFileSync(p, 'utf8')).toBe('hi');
    expect(readdirSync(join(out, 'sub/dir'))).toEqual(['a.json']);
  });

  it('refuses a planted symlink as the file and leaves its target untouched', () => {
    const { out, victim } = plant('rows.json');
    refuses(() => writeInside(out, 'rows.json', 'x'), '--out', /symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('refuses a symlinked directory below the output directory (lstat of every component)', () => {
    const out = join(root, 'out');
    const elsewhere = join(root, 'elsewhere');
    mkdirSync(out);
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(out, 'figs'));
    refuses(() => writeInside(out, 'figs/a.svg', 'x'), '--out', /symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('accepts an output directory that is itself a symlink the user chose', () => {
    const real = join(root, 'real');
    mkdirSync(real);
    symlinkSync(real, join(root, 'link'));
    writeInside(join(root, 'link'), 'a.txt', 'ok');
    expect(readFileSync(join(real, 'a.txt'), 'utf8')).toBe('ok');
  });

  it('unusable output directories are bad input naming --out: /dev/null, /dev/null/x, a file, ""', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    refuses(() => writeInside('/dev/null', 'a', 'x'), '--out', /not a directory/);
    refuses(() => writeInside('/dev/null/x', 'a', 'x'), '--out');
    refuses(() => writeInside(file, 'a', 'x'), '--out');
    refuses(() => writeInside(join(file, 'sub'), 'a', 'x'), '--out');
    refuses(() => writeInside('', 'a', 'x'), '--out');
    // a file where a directory belongs, below the output directory; the error names the given flag
    refuses(() => writeInside(root, 'file/b', 'x', { flag: '--dir' }), '--dir', /not a directory/);
  });

  it('removes stale temporary files of its own scheme (dead writer), not other files', () => {
    const out = join(root, 'out');
    mkdirSync(out);
    // A pid that is certainly dead: a child that already exited.
    const dead = Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
    writeFileSync(join(out, `a.json.mechlab-tmp-${dead}-0`), 'half');
    writeFileSync(join(out, `b.json.mechlab-tmp-${process.pid}-999`), 'mine, in flight');
    writeFileSync(join(out, 'rows.csv.tmp-123'), 'not ours');
    writeInside(out, 'a.json', 'whole');
    expect(readdirSync(out).sort()).toEqual([
      'a.json',
      `b.json.mechlab-tmp-${process.pid}-999`,
      'rows.csv.tmp-123',
    ]);
    writeFileSync(join(out, `c.mechlab-tmp-${dead}-3`), 'half');
    expect(removeStaleTemps(out)).toEqual([`c.mechlab-tmp-${dead}-3`]);
  });
});

/** A pid that is certainly dead: a child that already exited. */
function deadPid(): number {
  return Number(execFileSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']));
}

/** The temp names in `dir` (of this package's scheme). */
function temps(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.includes('.mechlab-tmp-'));
}

describe('openAtomicWriter', () => {
  it('streams chunks to a temp file beside the target; the target appears only on close', () => {
    const out = join(root, 'out');
    const w = openAtomicWriter(out, 'sub/rows.csv');
    expect(w.target).toBe(join(out, 'sub/rows.csv'));
    w.write('a,b\n');
    w.write(new Uint8Array([49, 44, 50, 10]));
    w.write('é\n'); // UTF-8
    const t = temps(join(out, 'sub'));
    expect(t).toHaveLength(1);
    expect(t[0]!.startsWith(`rows.csv.mechlab-tmp-${process.pid}-`)).toBe(true);
    expect(existsSync(w.target)).toBe(false);
    expect(w.close()).toBe(w.target);
    expect(readFileSync(w.target)).toEqual(Buffer.from('a,b\n1,2\né\n', 'utf8'));
    expect(readdirSync(join(out, 'sub'))).toEqual(['rows.csv']);
    expect(() => w.write('late')).toThrow(/already closed/);
    expect(() => w.close()).toThrow(/already closed/);
    w.abort(); // a no-op after close
    expect(readFileSync(w.target, 'utf8')).toBe('a,b\n1,2\né\n');
  });

  it('abort removes the temp file and leaves an existing target untouched', () => {
    const out = join(root, 'out');
    writeInside(out, 'rows.csv', 'old\n');
    const w = openAtomicWriter(out, 'rows.csv', { durable: false });
    w.write('new, half written');
    w.abort();
    w.abort();
    expect(readdirSync(out)).toEqual(['rows.csv']);
    expect(readFileSync(join(out, 'rows.csv'), 'utf8')).toBe('old\n');
    expect(() => w.write('x')).toThrow(/already closed/);
  });

  it('refuses a symlink planted at the target, on the way, and `..`; nothing is written', () => {
    const { out, victim } = plant('rows.csv');
    refuses(() => openAtomicWriter(out, 'rows.csv', { flag: 'out' }), 'out', /symbolic link/);
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere'), join(out, 'figs'));
    refuses(() => openAtomicWriter(out, 'figs/a.csv'), '--out', /symbolic link/);
    for (const bad of ['../victim.txt', 'a/../../victim.txt', '/tmp/x', '']) {
      refuses(() => openAtomicWriter(out, bad), '--out');
    }
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(readdirSync(join(root, 'elsewhere'))).toEqual([]);
    expect(temps(out)).toEqual([]);
  });

  it('refuses a symlink (or file) planted at the next temp name: O_EXCL | O_NOFOLLOW never opens it', () => {
    // Learn this process's next sequence number from a writer, then plant a link at the one after.
    const probe = openAtomicWriter(join(root, 'out'), 'rows.csv');
    const m = /-(\d+)$/.exec(temps(join(root, 'out'))[0]!)!;
    probe.abort();
    const next = `rows.csv.mechlab-tmp-${process.pid}-${Number(m[1]) + 1}`;
    const { out, victim } = plant(next);
    refuses(() => openAtomicWriter(out, 'rows.csv'), '--out', /already exists/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    // the live process's planted name is not "stale": it stays, and is never followed
    expect(readdirSync(out)).toEqual([next]);
  });

  it('crash leftovers (dead pid) of the target are removed on the next open, others kept', () => {
    const out = join(root, 'out');
    mkdirSync(out);
    const dead = deadPid();
    writeFileSync(join(out, `rows.csv.mechlab-tmp-${dead}-7`), 'half');
    writeFileSync(join(out, `aggregates.csv.mechlab-tmp-${dead}-8`), 'half');
    const w = openAtomicWriter(out, 'rows.csv');
    expect(temps(out).filter((n) => n.includes(`-${dead}-`))).toEqual([
      `aggregates.csv.mechlab-tmp-${dead}-8`,
    ]);
    w.write('x');
    w.close();
    expect(readdirSync(out).sort()).toEqual([`aggregates.csv.mechlab-tmp-${dead}-8`, 'rows.csv']);
  });

  it('a crashed writer process leaves a temp file that the next run removes', () => {
    const out = join(root, 'out');
    mkdirSync(out);
    // A real process opens a temp file the way openAtomicWriter does, writes half, and dies (exit
    // without close); its leftover carries its pid.
    const script = `const fs=require('fs');const p=process.argv[1]+'/rows.csv.mechlab-tmp-'+process.pid+'-0';
      fs.writeSync(fs.openSync(p,'wx'),'half');process.exit(1)`;
    try {
      execFileSync(process.execPath, ['-e', script, out], { stdio: 'ignore' });
    } catch {
      // exit 1 is the "crash"
    }
    expect(temps(out)).toHaveLength(1);
    const w = openAtomicWriter(out, 'rows.csv');
    w.write('whole');
    w.close();
    expect(readdirSync(out)).toEqual(['rows.csv']);
  });

  it('writes many random chunk sequences byte-identically to one writeInside of their concatenation', () => {
    const out = join(root, 'out');
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.string(), fc.uint8Array({ maxLength: 64 })), { maxLength: 12 }),
        (chunks) => {
          const w = openAtomicWriter(out, 'a.bin', { durable: false });
          for (const c of chunks) w.write(c);
          w.close();
          writeInside(
            out,
            'b.bin',
            Buffer.concat(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c))),
          );
          expect(readFileSync(join(out, 'a.bin'))).toEqual(readFileSync(join(out, 'b.bin')));
          expect(temps(out)).toEqual([]);
        },
      ),
      { numRuns: 50, seed: 18 },
    );
  });
});

describe('reserveAtomicTemp', () => {
  it('gives a fresh temp path beside the target; commit drops sidecars and renames', () => {
    const out = join(root, 'out');
    const t = reserveAtomicTemp(out, 'results.duckdb', { sidecars: ['.wal'] });
    expect(t.target).toBe(join(out, 'results.duckdb'));
    expect(t.temp.startsWith(`${t.target}.mechlab-tmp-${process.pid}-`)).toBe(true);
    expect(existsSync(t.temp)).toBe(false);
    writeFileSync(t.temp, 'db'); // what the library would do
    writeFileSync(t.temp + '.wal', 'log');
    expect(t.commit()).toBe(t.target);
    expect(readdirSync(out)).toEqual(['results.duckdb']);
    expect(readFileSync(t.target, 'utf8')).toBe('db');
    expect(() => t.commit()).toThrow(/already committed/);
  });

  it('abort removes the temp file and its sidecars, and is idempotent', () => {
    const out = join(root, 'out');
    writeInside(out, 'results.duckdb', 'old');
    const t = reserveAtomicTemp(out, 'results.duckdb', { sidecars: ['.wal'] });
    writeFileSync(t.temp, 'half');
    writeFileSync(t.temp + '.wal', 'log');
    t.abort();
    t.abort();
    expect(readdirSync(out)).toEqual(['results.duckdb']);
    expect(readFileSync(join(out, 'results.duckdb'), 'utf8')).toBe('old');
  });

  it('refuses a symlink at the target or on the way, `..`, and never renames a symlinked temp', () => {
    const { out, victim } = plant('results.duckdb');
    refuses(() => reserveAtomicTemp(out, 'results.duckdb'), '--out', /symbolic link/);
    refuses(() => reserveAtomicTemp(out, '../victim.txt'), '--out', /escapes/);
    rmSync(join(out, 'results.duckdb'));
    const t = reserveAtomicTemp(out, 'results.duckdb', { flag: 'out' });
    symlinkSync(victim, t.temp); // planted after the reservation, before commit
    refuses(() => t.commit(), 'out', /not a regular file/);
    expect(readdirSync(out)).toEqual([]); // the link was removed, never renamed into place
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });

  it('refuses to hand out a temp path (or sidecar) that already exists', () => {
    const out = join(root, 'out');
    mkdirSync(out);
    const probe = reserveAtomicTemp(out, 'x.db', { sidecars: ['.wal'] });
    const m = /-(\d+)$/.exec(probe.temp)!;
    const next = `${join(out, 'x.db')}.mechlab-tmp-${process.pid}-${Number(m[1]) + 1}`;
    symlinkSync(join(root, 'nowhere'), next + '.wal');
    refuses(() => reserveAtomicTemp(out, 'x.db', { sidecars: ['.wal'] }), '--out', /existing temporary/);
    expect(() => reserveAtomicTemp(out, 'x.db', { sidecars: ['wal/../x'] })).toThrow(/sidecar/);
  });

  it('crash leftovers with sidecars (dead pid) are removed on the next reservation', () => {
    const out = join(root, 'out');
    mkdirSync(out);
    const dead = deadPid();
    for (const n of [`results.duckdb.mechlab-tmp-${dead}-0`, `results.duckdb.mechlab-tmp-${dead}-0.wal`]) {
      writeFileSync(join(out, n), 'half');
    }
    const t = reserveAtomicTemp(out, 'results.duckdb', { sidecars: ['.wal'] });
    expect(readdirSync(out)).toEqual([]);
    t.abort();
    writeFileSync(join(out, `c.mechlab-tmp-${dead}-1.wal`), 'half');
    expect(removeStaleTemps(out)).toEqual([`c.mechlab-tmp-${dead}-1.wal`]);
  });
});

describe('claimOutDir', () => {
  it('claims a missing or empty directory and records the owner', () => {
    const out = claimOutDir(join(root, 'new/nested'), { owner: 'mechlab forum' });
    expect(JSON.parse(readFileSync(join(out.path, OWNER_FILE), 'utf8'))).toEqual({
      owner: 'mechlab forum',
      version: 1,
    });
    expect(out.write('scatter.svg', '<svg/>')).toBe(join(root, 'new/nested', 'scatter.svg'));
  });

  it('reclaims its own directory, refuses a foreign non-empty one unless forced', () => {
    const dir = join(root, 'o');
    claimOutDir(dir, { owner: 'mechlab forum' }).write('scatter.svg', 'x');
    expect(() => claimOutDir(dir, { owner: 'mechlab forum' })).not.toThrow();
    refuses(
      () => claimOutDir(dir, { owner: 'mechlab contribution' }),
      '--out',
      /output of mechlab forum.*--force/,
    );
    const user = join(root, 'user');
    mkdirSync(user);
    writeFileSync(join(user, 'thesis.tex'), 'years of work');
    refuses(() => claimOutDir(user, { owner: 'mechlab forum' }), '--out', /thesis\.tex.*--force/);
    expect(readFileSync(join(user, 'thesis.tex'), 'utf8')).toBe('years of work');
    claimOutDir(user, { owner: 'mechlab forum', force: true }).write('scatter.svg', 'x');
    expect(existsSync(join(user, 'scatter.svg'))).toBe(true);
  });

  it('a directory holding only the expected outputs (an older mechlab, no marker) is its own', () => {
    const dir = join(root, 'legacy');
    mkdirSync(dir);
    writeFileSync(join(dir, 'scatter.svg'), 'x');
    writeFileSync(join(dir, 'scatter.png'), 'x');
    expect(() =>
      claimOutDir(dir, { owner: 'mechlab forum', expected: ['scatter.svg', 'scatter.png'] }),
    ).not.toThrow();
  });

  it('unusable paths name the flag', () => {
    const file = join(root, 'file');
    writeFileSync(file, 'x');
    for (const p of ['', '/dev/null', '/dev/null/x', file]) {
      refuses(() => claimOutDir(p, { owner: 't', flag: '--out' }), '--out');
    }
  });
});

describe('bounded input reads', () => {
  it('reads a regular file, drops a BOM, refuses invalid UTF-8', () => {
    const f = join(root, 'a.json');
    writeFileSync(f, '\ufeff{"a":1}');
    expect(readInputText(f, { flag: '--instance' })).toBe('{"a":1}');
    writeFileSync(f, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]));
    refuses(() => readInputText(f, { flag: '--instance' }), '--instance', /not UTF-8/);
  });

  it('refuses devices, /dev paths (also through a symlink), directories, FIFOs and missing files at once', () => {
    const t0 = Date.now();
    for (const dev of ['/dev/zero', '/dev/urandom', '/dev/stdin', '/dev/null']) {
      refuses(() => readInputText(dev, { flag: '--game' }), '--game', /cannot read/);
    }
    symlinkSync('/dev/zero', join(root, 'zero.json'));
    refuses(() => readInputText(join(root, 'zero.json'), { flag: '--game' }), '--game', /device/);
    refuses(() => readInputText(root, { flag: '--game' }), '--game', /is a directory/);
    refuses(() => readInputText(join(root, 'nope.json'), { flag: '--game' }), '--game', /no such file/);
    refuses(() => readInputText('', { flag: '--game' }), '--game');
    const fifo = join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    refuses(() => readInputText(fifo, { flag: '--instance' }), '--instance', /FIFO/);
    refuses(() => checkInputFile(fifo, { flag: '--data' }), '--data', /FIFO/);
    refuses(() => checkInputFile(fifo, { flag: '--data', allowDirectory: true }), '--data', /FIFO/);
    expect(checkInputFile(root, { flag: '--data', allowDirectory: true })).toBe(0);
    refuses(() => checkInputFile(root, { flag: '--data' }), '--data', /is a directory/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('refuses files over the cap without reading them', () => {
    const f = join(root, 'big.json');
    writeFileSync(f, 'x'.repeat(5000));
    refuses(
      () => readInputText(f, { flag: '--instance', maxBytes: 4096 }),
      '--instance',
      /over the 4\.0 KiB input limit/,
    );
    expect(readInputText(f, { flag: '--instance', maxBytes: 5000 })).toHaveLength(5000);
    expect(checkInputFile(f, { flag: '--instance' })).toBe(5000);
  });
});

describe('assertInside', () => {
  it('refuses a symlink at or above a directory a package fills itself; creates nothing', () => {
    const out = join(root, 'out');
    mkdirSync(out);
    expect(assertInside(out, 'cache/sub')).toBe(join(out, 'cache/sub'));
    expect(existsSync(join(out, 'cache'))).toBe(false);
    symlinkSync(root, join(out, 'cache'));
    refuses(() => assertInside(out, 'cache/sub'), '--out', /symbolic link/);
    refuses(() => assertInside(out, '../cache'), '--out', /escapes/);
  });
});

describe('openInside', () => {
  it('opens (appends to) a file inside the directory, refusing a planted symlink with O_NOFOLLOW', () => {
    const out = join(root, 'out');
    const fd = openInside(out, 'journal.csv', constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND);
    writeSync(fd, 'a\n');
    closeSync(fd);
    expect(readFileSync(join(out, 'journal.csv'), 'utf8')).toBe('a\n');
    const victim = join(root, 'victim.csv');
    writeFileSync(victim, 'precious');
    symlinkSync(victim, join(out, 'evil.csv'));
    refuses(
      () => openInside(out, 'evil.csv', constants.O_WRONLY | constants.O_TRUNC),
      '--out',
      /symbolic link/,
    );
    refuses(() => openInside(out, '../x.csv', constants.O_WRONLY | constants.O_CREAT), '--out', /escapes/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
  });
});

describe('crc32', () => {
  it('matches the standard check value and zlib.crc32 on random inputs (incl. chained)', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
    expect(crc32('')).toBe(0);
    const z = (zlib as { crc32?: (d: Uint8Array | string, v?: number) => number }).crc32;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 50 }), (a, b) => {
        const whole = crc32(Buffer.concat([a, b]));
        expect(crc32(b, crc32(a))).toBe(whole);
        if (z) expect(whole).toBe(z(Buffer.concat([a, b])));
      }),
      { numRuns: 300, seed: 18 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const bytes = Buffer.from(s, [...s].every((ch) => ch.charCodeAt(0) < 256) ? 'latin1' : 'utf8');
        expect(crc32(s)).toBe(crc32(bytes));
      }),
      { numRuns: 300, seed: 18 },
    );
  });
});
