// Native C++ twins of the WebAssembly kernels (packages/kernels/assembly/{mckp,hop}.ts): the same
// algorithms, loops and float operations, compiled by benchmarks/kernels/index.ts at benchmark time with
// `g++ -O3 -march=native -ffp-contract=off` (no FMA contraction, so values match the WASM/TS ones bit
// for bit). Reads one instance written by the benchmark (binary, little-endian), runs the kernel
// `reps` times after one warm-up, and prints one JSON line: {"kind", "value", "reps", "nsPerOp",
// "minNs"}. Buffers are allocated outside the timed region, as the WASM wrapper's layout is.
//
// usage: kernels <file> <reps>
// file: "MLK1", i32 kind (1 = mckp-dense, 2 = mckp-general, 3 = hop), then per kind:
//   1: i32 n, i32 D, f64 profits[n·(D+1)]
//   2: i32 n, i32 C, i32 items, i32 classStart[n+1], i32 weights[items], f64 profits[items]
//   3: i32 n, i32 D, i32 parent[n], i32 postOrder[n], f64 pw[n], i32 pi0[n], i32 pi1[n], f64 theta[n]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

namespace {

const double NEG_INF = -std::numeric_limits<double>::infinity();

struct Reader {
  std::vector<unsigned char> buf;
  size_t at = 0;
  template <class T> T one() {
    T v;
    std::memcpy(&v, buf.data() + at, sizeof(T));
    at += sizeof(T);
    return v;
  }
  template <class T> std::vector<T> many(size_t n) {
    std::vector<T> v(n);
    if (n) std::memcpy(v.data(), buf.data() + at, n * sizeof(T));
    at += n * sizeof(T);
    return v;
  }
};

// ---- MCKP dense (assembly/mckp.ts denseT) --------------------------------------------------------
// Undominated items as interleaved (profit, byte offset) pairs walked by one pointer, as in the WASM.
struct Item {
  double p;
  int64_t off;
};

template <class T>
double mckpDense(int n, int D, const double* profits, T* arg, double* rows, int* listK, Item* list,
                 int* choice) {
  const int width = D + 1;
  double* prev = rows;
  double* cur = rows + width;
  std::memset(prev, 0, sizeof(double) * width);
  for (int i = 0; i < n; i++) {
    const int base = i * width;
    const double p0 = profits[base];
    int cnt = 0;
    double bestP = p0;
    for (int k = 1; k <= D; k++) {
      const double pk = profits[base + k];
      if (pk > bestP) {
        bestP = pk;
        listK[cnt] = k;
        list[cnt].p = pk;
        list[cnt].off = (int64_t)k * 8;
        cnt++;
      }
    }
    int lim = 0;
    for (int b = 0; b <= D; b++) {
      while (lim < cnt && listK[lim] <= b) lim++;
      const char* pb = reinterpret_cast<const char*>(prev + b);
      double v = prev[b] + p0;
      int64_t a = 0;
      for (const Item *it = list, *end = list + lim; it < end; ++it) {
        const int64_t off = it->off;
        const double cand = *reinterpret_cast<const double*>(pb - off) + it->p;
        if (cand > v) {
          v = cand;
          a = off;
        }
      }
      cur[b] = v;
      arg[base + b] = static_cast<T>(a >> 3);
    }
    std::swap(prev, cur);
  }
  int b = D;
  for (int i = n - 1; i >= 0; i--) {
    const int k = static_cast<int>(arg[i * width + b]);
    choice[i] = k;
    b -= k;
  }
  return n == 0 ? 0.0 : prev[D];
}

// ---- MCKP general (assembly/mckp.ts generalT) ----------------------------------------------------
template <class T>
double mckpGeneral(int n, int C, const int* classStart, const int* weights, const double* profits, T* arg,
                   double* rows, int* choice) {
  const int width = C + 1;
  double* prev = rows;
  double* cur = rows + width;
  std::memset(prev, 0, sizeof(double) * width);
  for (int i = 0; i < n; i++) {
    const int s = classStart[i], e = classStart[i + 1];
    const int row = i * width;
    for (int b = 0; b <= C; b++) {
      double best = NEG_INF;
      int a = -1;
      for (int t = s; t < e; t++) {
        const int w = weights[t];
        if (w > b) continue;
        const double cand = prev[b - w] + profits[t];
        if (cand > best) {
          best = cand;
          a = t - s;
        }
      }
      cur[b] = best;
      arg[row + b] = static_cast<T>(a);
    }
    std::swap(prev, cur);
  }
  const double value = n == 0 ? 0.0 : prev[C];
  if (value == NEG_INF) return value;
  int b = C;
  for (int i = n - 1; i >= 0; i--) {
    const int local = static_cast<int>(arg[i * width + b]);
    choice[i] = local;
    b -= weights[classStart[i] + local];
  }
  return value;
}

// ---- HOP tree DP (assembly/hop.ts hopDp) ---------------------------------------------------------
struct Hop {
  int n, D;
  std::vector<int> parent, post, pi0, pi1;
  std::vector<double> pw, theta;
  // scratch
  std::vector<uint8_t> dec;
  std::vector<uint16_t> split;
  std::vector<double> slots, V, zeros;
  std::vector<int> freeList, accSlot, rem, units;
  std::vector<double> T;
  std::vector<int64_t> S;
  std::vector<uint8_t> eff;
  int maxSlots;

  double run() {
    const int W = D + 1, W2 = 2 * W;
    std::fill(dec.begin(), dec.end(), 0);
    std::fill(zeros.begin(), zeros.end(), 0.0);
    std::fill(accSlot.begin(), accSlot.end(), -1);
    int nFree = 0, nSlots = 0;
    for (int t = 0; t < n; t++) {
      const int i = post[t];
      const int own = accSlot[i];
      const double* A = own >= 0 ? &slots[(size_t)own * W2] : zeros.data();
      const bool isRoot = parent[i] < 0;
      const int rows = isRoot ? 1 : 2;
      const double th = theta[i];
      const size_t base = (size_t)i * W2;
      for (int e = 0; e < rows; e++) {
        const int pe = e == 0 ? pi0[i] : pi1[i];
        const double gain = e == 0 ? th : th + pw[i];
        const int row = e * W;
        const int split0 = pe < W ? pe : W;
        std::memcpy(&V[row], A, sizeof(double) * split0);
        double* Vr = &V[row];
        uint8_t* Dr = &dec[base + row];
        for (int b = split0; b < W; b++) {
          const double v0 = A[b];
          const double v1 = gain + A[W + b - pe];
          const bool take = v1 >= v0;
          Vr[b] = take ? v1 : v0;
          Dr[b] = (uint8_t)take;
        }
      }
      if (own >= 0) {
        freeList[nFree++] = own;
        accSlot[i] = -1;
      }
      const int par = isRoot ? n : parent[i];
      int ps = accSlot[par];
      if (ps < 0) {
        if (nFree > 0) ps = freeList[--nFree];
        else {
          if (nSlots >= maxSlots) return std::nan("");
          ps = nSlots++;
        }
        accSlot[par] = ps;
        double* P = &slots[(size_t)ps * W2];
        std::memset(P, 0, sizeof(double) * W2);
        for (int e = 0; e < rows; e++) {
          const int row = e * W;
          const double* Vr = &V[row];
          std::memcpy(P + row, Vr, sizeof(double) * W);
          int last = 0;
          double prevV = Vr[0];
          split[base + row] = 0;
          for (int b = 1; b < W; b++) {
            const double vb = Vr[b];
            last = vb > prevV ? b : last;
            prevV = vb;
            split[base + row + b] = (uint16_t)last;
          }
        }
        continue;
      }
      double* P = &slots[(size_t)ps * W2];
      for (int e = 0; e < rows; e++) {
        const int row = e * W;
        const double* Vr = &V[row];
        double* Pr = P + row;
        // Out of place, breakpoint-outer (see assembly/hop.ts): g++ vectorises each pass.
        const double v0 = Vr[0];
        for (int b = 0; b < W; b++) T[b] = Pr[b] + v0;
        std::fill(S.begin(), S.end(), 0);
        double prevV = v0;
        for (int a = 1; a < W; a++) {
          const double va = Vr[a];
          if (!(va > prevV)) {
            prevV = va;
            continue;
          }
          prevV = va;
          const double* src = Pr - a;
          double* Tp = T.data();
          int64_t* Sp = S.data();
          for (int c = a; c < W; c++) {
            const double cand = src[c] + va;
            const bool m = cand > Tp[c];
            Tp[c] = m ? cand : Tp[c];
            Sp[c] = m ? a : Sp[c];
          }
        }
        std::memcpy(Pr, T.data(), sizeof(double) * W);
        for (int c = 0; c < W; c++) split[base + row + c] = (uint16_t)S[c];
      }
    }
    const double objective = slots[(size_t)accSlot[n] * W2 + D];
    std::fill(rem.begin(), rem.end(), 0);
    std::fill(eff.begin(), eff.end(), 0);
    std::fill(units.begin(), units.end(), 0);
    rem[n] = D;
    for (int t = n - 1; t >= 0; t--) {
      const int j = post[t];
      const int par = parent[j] >= 0 ? parent[j] : n;
      const int e = eff[par];
      const int B = rem[par];
      const size_t row = (size_t)j * W2 + (size_t)e * W;
      const int a = split[row + B];
      rem[par] = B - a;
      if (dec[row + a] == 1) {
        const int c = e == 0 ? pi0[j] : pi1[j];
        units[j] = c;
        rem[j] = a - c;
        eff[j] = 1;
      } else {
        rem[j] = a;
      }
    }
    return objective;
  }
};

template <class F> void timeIt(const char* kind, int reps, F&& f) {
  double value = f();  // warm-up
  std::vector<double> ns;
  ns.reserve(reps);
  for (int r = 0; r < reps; r++) {
    const auto t0 = std::chrono::steady_clock::now();
    value = f();
    const auto t1 = std::chrono::steady_clock::now();
    ns.push_back(std::chrono::duration<double, std::nano>(t1 - t0).count());
  }
  double sum = 0, mn = ns.empty() ? 0 : ns[0];
  for (double x : ns) {
    sum += x;
    mn = std::min(mn, x);
  }
  std::printf("{\"kind\":\"%s\",\"value\":%.17g,\"reps\":%d,\"nsPerOp\":%.1f,\"minNs\":%.1f}\n", kind, value, reps,
              reps ? sum / reps : 0.0, mn);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: kernels <file> <reps>\n");
    return 2;
  }
  Reader in;
  {
    FILE* fp = std::fopen(argv[1], "rb");
    if (!fp) {
      std::perror(argv[1]);
      return 2;
    }
    std::fseek(fp, 0, SEEK_END);
    const long size = std::ftell(fp);
    std::fseek(fp, 0, SEEK_SET);
    in.buf.resize(size);
    if (std::fread(in.buf.data(), 1, size, fp) != (size_t)size) return 2;
    std::fclose(fp);
  }
  const int reps = std::atoi(argv[2]);
  if (std::memcmp(in.buf.data(), "MLK1", 4) != 0) {
    std::fprintf(stderr, "bad magic\n");
    return 2;
  }
  in.at = 4;
  const int kind = in.one<int32_t>();
  if (kind == 1) {
    const int n = in.one<int32_t>(), D = in.one<int32_t>();
    auto profits = in.many<double>((size_t)n * (D + 1));
    std::vector<double> rows(2 * (D + 1));
    std::vector<Item> list(D + 1);
    std::vector<int> listK(D + 1), choice(n);
    if (D <= 0x7fff) {
      std::vector<int16_t> arg((size_t)n * (D + 1));
      timeIt("mckp-dense", reps, [&] {
        return mckpDense<int16_t>(n, D, profits.data(), arg.data(), rows.data(), listK.data(), list.data(),
                                  choice.data());
      });
    } else {
      std::vector<int32_t> arg((size_t)n * (D + 1));
      timeIt("mckp-dense", reps, [&] {
        return mckpDense<int32_t>(n, D, profits.data(), arg.data(), rows.data(), listK.data(), list.data(),
                                  choice.data());
      });
    }
  } else if (kind == 2) {
    const int n = in.one<int32_t>(), C = in.one<int32_t>(), items = in.one<int32_t>();
    auto classStart = in.many<int32_t>(n + 1);
    auto weights = in.many<int32_t>(items);
    auto profits = in.many<double>(items);
    int maxItems = 0;
    for (int i = 0; i < n; i++) maxItems = std::max(maxItems, classStart[i + 1] - classStart[i]);
    std::vector<double> rows(2 * (C + 1));
    std::vector<int> choice(n);
    if (maxItems <= 0x7fff) {
      std::vector<int16_t> arg((size_t)n * (C + 1));
      timeIt("mckp-general", reps, [&] {
        return mckpGeneral<int16_t>(n, C, classStart.data(), weights.data(), profits.data(), arg.data(),
                                    rows.data(), choice.data());
      });
    } else {
      std::vector<int32_t> arg((size_t)n * (C + 1));
      timeIt("mckp-general", reps, [&] {
        return mckpGeneral<int32_t>(n, C, classStart.data(), weights.data(), profits.data(), arg.data(),
                                    rows.data(), choice.data());
      });
    }
  } else if (kind == 3) {
    Hop h;
    h.n = in.one<int32_t>();
    h.D = in.one<int32_t>();
    const int n = h.n, W = h.D + 1, W2 = 2 * W;
    h.parent = in.many<int32_t>(n);
    h.post = in.many<int32_t>(n);
    h.pw = in.many<double>(n);
    h.pi0 = in.many<int32_t>(n);
    h.pi1 = in.many<int32_t>(n);
    h.theta = in.many<double>(n);
    int lg = 0;
    while ((1 << (lg + 1)) <= n) lg++;
    h.maxSlots = lg + 4;
    h.dec.resize((size_t)n * W2);
    h.split.resize((size_t)n * W2);
    h.slots.resize((size_t)h.maxSlots * W2);
    h.V.resize(W2);
    h.zeros.resize(W2);
    h.freeList.resize(h.maxSlots);
    h.accSlot.resize(n + 1);
    h.T.resize(W);
    h.S.resize(W);
    h.rem.resize(n + 1);
    h.units.resize(n);
    h.eff.resize(n + 1);
    timeIt("hop", reps, [&] { return h.run(); });
  } else {
    std::fprintf(stderr, "unknown kind %d\n", kind);
    return 2;
  }
  return 0;
}
