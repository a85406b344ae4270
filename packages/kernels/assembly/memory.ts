// Raw-memory accessors shared by the kernels. Every array argument of an exported kernel is a byte
// offset into linear memory laid out by the TypeScript wrapper (src/wasm.ts); these helpers are the
// "unchecked" element accesses of the hot loops (a plain load/store with no bounds check — the
// wrapper validates sizes before calling in, STYLE.md §6).
//
// No `@inline` decorators: Prettier cannot parse decorators on functions, and binaryen's -O3 inlines
// these (and every other small helper) anyway — the release .wat contains no `call` at all.

export function ldf(base: usize, i: i32): f64 {
  return load<f64>(base + ((<usize>i) << 3));
}
export function stf(base: usize, i: i32, v: f64): void {
  store<f64>(base + ((<usize>i) << 3), v);
}
export function ldi(base: usize, i: i32): i32 {
  return load<i32>(base + ((<usize>i) << 2));
}
export function sti(base: usize, i: i32, v: i32): void {
  store<i32>(base + ((<usize>i) << 2), v);
}
export function ldu32(base: usize, i: i32): u32 {
  return load<u32>(base + ((<usize>i) << 2));
}
export function stu32(base: usize, i: i32, v: u32): void {
  store<u32>(base + ((<usize>i) << 2), v);
}
export function ldu16(base: usize, i: i32): i32 {
  return <i32>load<u16>(base + ((<usize>i) << 1));
}
export function stu16(base: usize, i: i32, v: i32): void {
  store<u16>(base + ((<usize>i) << 1), <u16>v);
}
export function ldu8(base: usize, i: i32): i32 {
  return <i32>load<u8>(base + <usize>i);
}
export function stu8(base: usize, i: i32, v: i32): void {
  store<u8>(base + <usize>i, <u8>v);
}

/** The binary best-response tie rule of core's `isActive` (ccs/equilibrium.ts): ties → effort 1. */
export function isActive(p: f64, denom: f64, c: f64): bool {
  return p * denom >= c * (1.0 - 1e-9);
}
