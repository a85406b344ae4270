// Public API of @mechlab/io (STYLE.md §2): Node-only file I/O with mechlab's safety contract.
export { claimOutDir } from './claim';
export { checkInputFile, readInputText, formatBytes, DEFAULT_MAX_INPUT_BYTES } from './read';
export {
  assertInside,
  openAtomicWriter,
  openInside,
  processAlive,
  reserveAtomicTemp,
  ensureDirectory,
  removeStaleTemps,
  resolveInside,
  writeInside,
  TEMP_MARK,
} from './write';
export { crc32 } from './crc32';

export type { ClaimOptions } from './claim';
export type { AtomicWriter } from './write';
