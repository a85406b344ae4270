/**
 * Live progress (issue 18): a run estimated at ≥ 2 s on a terminal redraws one `done/total, elapsed,
 * ETA` line on stderr, throttled, from the loop's progress callback (forum rounds, sampler batches,
 * equilibrium grid scans); off a terminal nothing is printed and stdout is untouched.
 */
import { nodeIo, type Io } from '../src/io';
import { PROGRESS_INTERVAL_MS, admit } from '../src/budget';

const budget = { maxBytes: 2 ** 30, maxSeconds: 60, yes: true };
const long = { field: '--x', what: 'a long run', bytes: 2 ** 20, ops: 1e12 };

function ttyIo(isTty = true): { io: Io; err: () => string; out: () => string } {
  let err = '',
    out = '';
  const io: Io = { ...nodeIo, stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTty };
  return { io, err: () => err, out: () => out };
}

describe('admit(...).tick: the live progress line', () => {
  it('redraws done/total, percent, elapsed and ETA at most every 250 ms, then ends the line', () => {
    let t = 1000;
    const { io, err } = ttyIo();
    const done = admit(io, budget, long, () => t);
    expect(err()).toMatch(/^a long run: estimated .*; running…$/);
    const start = err().length;
    done.tick(1, 100); // 0 ms in: throttled
    t += PROGRESS_INTERVAL_MS - 1;
    done.tick(2, 100); // still inside the interval
    expect(err().length).toBe(start);
    t = 1000 + 2000;
    done.tick(25, 100);
    expect(err().slice(start)).toBe('\r\x1b[Ka long run: 25/100 (25%), 2.0 s elapsed, ETA 6.0 s');
    t += 100;
    done.tick(26, 100); // throttled again
    t += 200;
    done.tick(50, 100);
    expect(err().split('\r\x1b[K')).toHaveLength(3);
    expect(err()).toMatch(/a long run: 50\/100 \(50%\), 2\.3 s elapsed, ETA 2\.3 s$/);
    t += 700;
    done();
    expect(err().endsWith('\r\x1b[Ka long run: done in 3.0 s\n')).toBe(true);
  });

  it('with no tick the end is appended to the start line; off a terminal or for a short run, nothing', () => {
    let t = 0;
    const a = ttyIo();
    admit(a.io, budget, long, () => t)();
    expect(a.err()).toMatch(/running… done in 0\.0 s\n$/);
    const b = ttyIo(false);
    const piped = admit(b.io, budget, long, () => (t += 1000));
    piped.tick(1, 2);
    piped();
    const short = admit(b.io, budget, { ...long, ops: 1 }, () => (t += 1000));
    short.tick(1, 2);
    short();
    const c = ttyIo();
    const shortTty = admit(c.io, budget, { ...long, ops: 1 }, () => (t += 1000));
    shortTty.tick(1, 2);
    shortTty();
    expect(b.err() + c.err()).toBe('');
  });

  it('an unknown total or zero progress draws no bogus ETA', () => {
    let t = 0;
    const { io, err } = ttyIo();
    const done = admit(io, budget, long, () => t);
    t = 500;
    done.tick(0, 10);
    expect(err()).toMatch(/0\/10 \(0%\), 0\.5 s elapsed, ETA \?$/);
    t = 1000;
    done.tick(0, 0);
    expect(err()).toMatch(/ETA \?$/);
  });
});
