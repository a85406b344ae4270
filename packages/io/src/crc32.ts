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
  let c = ~prev >>> 0;
  if (typeof data === 'string') {
    // Latin-1 text (the journal's rows) is hashed from its code units: no Buffer per call.
    for (let i = 0; i < data.length; i++) {
      const u = data.charCodeAt(i);
      if (u > 255) return crc32(Buffer.from(data, 'utf8'), prev);
      c = TABLE[(c ^ u) & 0xff]! ^ (c >>> 8);
    }
    return ~c >>> 0;
  }
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
