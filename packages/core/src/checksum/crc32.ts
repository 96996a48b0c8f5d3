/** The reflected CRC-32 table for the IEEE 802.3 polynomial 0xEDB88320 (zlib's, PNG's, Lucene's footer). */
const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/**
 * CRC-32 (IEEE 802.3, as zlib's `crc32`) of `bytes`. Pass the previous result as `crc` to continue a
 * checksum over several chunks: `crc32(b, crc32(a))` equals `crc32(concat(a, b))`.
 *
 * @param crc the checksum of the bytes before these. @default 0
 * @returns an unsigned 32-bit integer.
 */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
