import { digestSecret, parseKey } from './apiKey.js';
import type { StoredKey } from './keyStore.js';
import type { KeyScopes } from './scopes.js';

/**
 * The Secret entry that makes `key` valid, for seeding a Secret without a running store (fixtures,
 * `kubectl apply`): `{ [id]: JSON record with the digest }`. Throws when `key` is not `<prefix>_<id>_<secret>`.
 */
export function keyEntry(
  key: string,
  name: string,
  options: { prefix?: string; scopes?: KeyScopes; now?: number } = {},
): Record<string, string> {
  const parsed = parseKey(key, options.prefix ?? 'ksh');
  if (!parsed) throw new TypeError(`not a ${options.prefix ?? 'ksh'}_<id>_<secret> key`);
  const record: StoredKey = {
    name,
    digest: digestSecret(parsed.secret),
    scopes: options.scopes ?? {},
    createdAt: new Date(options.now ?? Date.now()).toISOString(),
  };
  return { [parsed.id]: JSON.stringify(record) };
}
