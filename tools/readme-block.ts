/** The generated-table block of a README, shared by the `tools/*.ts --readme` scripts. */
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Replace what lies between `<!-- name:start -->` and `<!-- name:end -->` in the file at `path` with
 * `table` (one blank line on each side). O(file size).
 * @throws Error when the file has no such block.
 */
export function writeReadmeBlock(path: string, name: string, table: string): void {
  const text = readFileSync(path, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const a = text.indexOf(start),
    b = text.indexOf(end);
  if (a < 0 || b < a) throw new Error(`${path} has no ${start} … ${end} block`);
  writeFileSync(path, text.slice(0, a + start.length) + '\n\n' + table + '\n\n' + text.slice(b));
}
