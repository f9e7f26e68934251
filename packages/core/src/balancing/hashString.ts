/**
 * 32-bit hash of a string: FNV-1a over its UTF-16 code units, then murmur3's finaliser for
 * avalanche. Different salts give independent hashes of the same string. Allocation-free.
 */
export function hashString(value: string, salt = 0): number {
  let h = (0x811c9dc5 ^ Math.imul(salt, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
