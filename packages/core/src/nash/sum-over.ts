export function sumOver(v: Float64Array, sel: Int32Array): number {
  let s = 0;
  for (let t = 0; t < sel.length; t++) s += v[sel[t]!]!;
  return s;
}
