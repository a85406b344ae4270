/**
 * CRC-32 (IEEE 802.3, the zlib/PNG polynomial 0xEDB88320, reflected), for checksumming committed
 * journal blocks. Table-driven, 1 KiB table; Node's `zlib.crc32` only exists from Node 20.15.
 */

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 of `data` (a string is hashed as its latin1 bytes when every code unit is < 256, else as UTF-8),
 * continuing from `prev` (0 to start).
 *
 * Complexity O(bytes).
 * @example crc32('123456789') // → 0xcbf43926
 */
export function crc32(data: string | Uint8Array, prev = 0): number {
  const bytes = typeof data === 'string' ? Buffer.from(data, isLatin1(data) ? 'latin1' : 'utf8') : data;
  let c = ~prev >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** Is every code unit of `s` below 256 (so latin1 encodes it losslessly)? */
export function isLatin1(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return false;
  return true;
}
