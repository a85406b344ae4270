/** Browser stand-in for `node:path`'s `join` (the kernels' loader builds a label path with it). */
export function join(...parts: string[]): string {
  return parts.join('/');
}
