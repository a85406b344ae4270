// A user's own experiment for `mechlab sweep` (FORMATS.md "Experiment module"): plain JavaScript, no
// import of mechlab. Run: mechlab sweep examples/coin-sweep.json [--workers 2 | --queue redis://…]
export default {
  name: 'coin.flips',
  description: 'heads in a run of coin flips',
  params: {
    p: { default: 0.5, min: 0, max: 1, label: 'probability of heads p' },
    flips: { default: 20, min: 1, integer: true },
  },
  metrics: ['heads', 'longestRun'],
  run(rng, params) {
    let heads = 0,
      run = 0,
      best = 0;
    for (let i = 0; i < params.flips; i++) {
      if (rng.next() < params.p) {
        heads++;
        run++;
        best = Math.max(best, run);
      } else run = 0;
    }
    return [heads, best];
  },
};
