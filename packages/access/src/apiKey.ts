import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A presented key split into its parts: `<prefix>_<id>_<secret>`. */
export interface ParsedKey {
  readonly prefix: string;
  readonly id: string;
  readonly secret: string;
}

const KEY_FORM = /^([a-z]{2,8})_([a-z0-9]{8,32})_([A-Za-z0-9_-]{20,128})$/;

/** Splits `ksh_<id>_<secret>`; undefined when the text is not a key of that prefix. */
export function parseKey(text: string, prefix: string): ParsedKey | undefined {
  const match = KEY_FORM.exec(text);
  if (!match || match[1] !== prefix) return undefined;
  return { prefix, id: match[2]!, secret: match[3]! };
}

/** A fresh key: a public id (16 hex digits) and a 256-bit secret (base64url). */
export function generateKey(prefix: string): { key: string; id: string; secret: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `${prefix}_${id}_${secret}`, id, secret };
}

/** The stored form of a secret: `sha256:<hex>`. */
export function digestSecret(secret: string): string {
  return `sha256:${createHash('sha256').update(secret, 'utf8').digest('hex')}`;
}

/** Raw digest bytes of `sha256:<hex>`, or undefined when the text is not one. */
export function digestBytes(stored: string): Buffer | undefined {
  if (!/^sha256:[0-9a-f]{64}$/.test(stored)) return undefined;
  return Buffer.from(stored.slice(7), 'hex');
}

const PLACEHOLDER = Buffer.alloc(32);

/** Hashes `secret` and compares it with `expected` in constant time (a placeholder when absent). */
export function secretMatches(secret: string, expected: Buffer | undefined): boolean {
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  const against = expected && expected.length === actual.length ? expected : PLACEHOLDER;
  return timingSafeEqual(actual, against) && against !== PLACEHOLDER;
}
