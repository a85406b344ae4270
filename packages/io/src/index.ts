// Public API of @mechlab/io (STYLE.md §2): Node-only file I/O with mechlab's safety contract.
export { claimOutDir, OWNER_FILE } from './claim';
export { checkInputFile, readInputBytes, readInputText, formatBytes, DEFAULT_MAX_INPUT_BYTES } from './read';
export {
  assertInside,
  ensureDirectory,
  openInside,
  removeStaleTemps,
  resolveInside,
  writeInside,
  TEMP_MARK,
} from './write';
export { crc32 } from './crc32';

export type { ClaimOptions, OutDir } from './claim';
export type { ReadOptions } from './read';
export type { WriteOptions } from './write';
