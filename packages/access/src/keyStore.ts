import type { KubeSmart, KvBucket, KvChange } from '@kubesmart/core';
import { digestBytes, digestSecret, generateKey, parseKey, secretMatches } from './apiKey.js';
import type { KeyScopes } from './scopes.js';

/** One key as stored (JSON, under its id, in the store's Secret): never the key itself. */
export interface StoredKey {
  /** Who the key is for (an API client's name, or the agent id an agent credential names). */
  readonly name: string;
  /** `sha256:<hex>` of the secret part. */
  readonly digest: string;
  readonly scopes: KeyScopes;
  /** ISO time. */
  readonly createdAt: string;
  readonly expiresAt?: string | undefined;
  readonly revokedAt?: string | undefined;
  /** Free-form facts (an agent credential's cluster id). */
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/** What listings and verified requests see of a key: everything but its digest. */
export interface KeyInfo extends Omit<StoredKey, 'digest'> {
  readonly id: string;
}

/** Why a presented key was refused. */
export type KeyRefusal =
  | 'missing'
  | 'malformed'
  | 'unknown'
  | 'wrong-secret'
  | 'expired'
  | 'revoked'
  | 'not-ready';

export type KeyVerdict =
  | { readonly ok: true; readonly key: KeyInfo }
  | { readonly ok: false; readonly reason: KeyRefusal; readonly id?: string | undefined };

export interface KeyStoreOptions {
  /** The instance whose KV engine (Secret backend) holds the keys. */
  kubeSmart: KubeSmart;
  /** Secret holding the keys, one entry per key id. */
  secretName: string;
  /** Namespace of the Secret. @default the instance's namespace */
  namespace?: string;
  /** Key prefix (`ksh` API keys, `ksa` agent credentials). @default 'ksh' */
  prefix?: string;
  /** Wall-clock time in ms since the epoch, for expiry. @default Date.now */
  now?: () => number;
}

export interface CreateKeyOptions {
  name: string;
  scopes?: KeyScopes;
  /** Expiry, as a Date or ms since the epoch. */
  expiresAt?: Date | number;
  labels?: Record<string, string>;
}

interface CachedKey {
  readonly info: KeyInfo;
  readonly digest: Buffer | undefined;
  readonly expiresMs: number | undefined;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,126}$/;

function toInfo(id: string, stored: StoredKey): KeyInfo {
  const { digest: _digest, ...rest } = stored;
  return { id, ...rest };
}

function isStored(value: unknown): value is StoredKey {
  const v = value as StoredKey | null;
  return typeof v === 'object' && v !== null && typeof v.name === 'string' && typeof v.digest === 'string';
}

/**
 * API keys `<prefix>_<id>_<secret>` kept in one Secret through the core KV engine: the key is shown
 * once by {@link create}; the Secret holds its SHA-256 digest under its id. {@link verify} is a map
 * lookup by id and a constant-time compare, answered from memory; the map follows the Secret's watch,
 * so a key created or revoked anywhere is seen by every replica within one watch event.
 */
export class KeyStore {
  readonly prefix: string;
  readonly #bucket: KvBucket<unknown>;
  readonly #now: () => number;
  readonly #keys = new Map<string, CachedKey>();
  readonly #stopWatch: () => void;
  #loaded = false;
  #loading: Promise<void> | undefined;

  constructor(options: KeyStoreOptions) {
    this.prefix = options.prefix ?? 'ksh';
    this.#now = options.now ?? Date.now;
    this.#bucket = options.kubeSmart.kv<unknown>(options.secretName, {
      backend: 'secret',
      codec: 'json',
      ...(options.namespace ? { namespace: options.namespace } : {}),
    });
    this.#stopWatch = this.#bucket.watch('', (change) => this.#apply(change));
  }

  /** `namespace/name` of the Secret, for messages. */
  get secret(): string {
    return `${this.#bucket.namespace}/${this.#bucket.name}`;
  }

  /** The keys are loaded and the watch is current. */
  get ready(): boolean {
    return this.#loaded && this.#bucket.status().synced;
  }

  /** Loads every key; call once at start (verify answers `not-ready` before). */
  load(timeoutMs = 30_000): Promise<void> {
    this.#loading ??= (async () => {
      await this.#bucket.ready({ timeoutMs });
      for (const entry of await this.#bucket.entries()) {
        this.#apply({ type: 'set', key: entry.key, value: entry.value, version: entry.version });
      }
      this.#loaded = true;
    })();
    return this.#loading;
  }

  /** Checks a presented key: parsed, found by id, secret compared in constant time, then expiry and revocation. */
  verify(presented: string | undefined): KeyVerdict {
    if (presented === undefined || presented === '') return { ok: false, reason: 'missing' };
    const parsed = parseKey(presented, this.prefix);
    if (!parsed) return { ok: false, reason: 'malformed' };
    if (!this.#loaded) return { ok: false, reason: 'not-ready', id: parsed.id };
    const cached = this.#keys.get(parsed.id);
    const matches = secretMatches(parsed.secret, cached?.digest);
    if (!cached) return { ok: false, reason: 'unknown', id: parsed.id };
    if (!matches) return { ok: false, reason: 'wrong-secret', id: parsed.id };
    if (cached.info.revokedAt) return { ok: false, reason: 'revoked', id: parsed.id };
    if (cached.expiresMs !== undefined && cached.expiresMs <= this.#now()) {
      return { ok: false, reason: 'expired', id: parsed.id };
    }
    return { ok: true, key: cached.info };
  }

  /** Whether the key with this id may still be used, without its secret (for sessions opened with it). */
  standing(id: string): 'active' | KeyRefusal {
    const cached = this.#keys.get(id);
    if (!cached) return 'unknown';
    if (cached.info.revokedAt) return 'revoked';
    if (cached.expiresMs !== undefined && cached.expiresMs <= this.#now()) return 'expired';
    return 'active';
  }

  /** The key with this id (revoked or not), from memory. */
  info(id: string): KeyInfo | undefined {
    return this.#keys.get(id)?.info;
  }

  /** Every key (revoked ones included) from memory. */
  infos(): KeyInfo[] {
    return [...this.#keys.values()].map((k) => k.info);
  }

  /** Makes a key and returns it in full: this is the only time the secret part exists outside the caller. */
  async create(options: CreateKeyOptions): Promise<{ key: string; info: KeyInfo }> {
    if (!NAME.test(options.name)) {
      throw new TypeError(
        `key name ${JSON.stringify(options.name)}: use 1-127 letters, digits, ".", "_", "@" or "-", starting with a letter or digit`,
      );
    }
    const expires = options.expiresAt === undefined ? undefined : new Date(options.expiresAt);
    if (expires && Number.isNaN(expires.getTime())) throw new TypeError('expiresAt is not a valid time');
    const { key, id, secret } = generateKey(this.prefix);
    const stored: StoredKey = {
      name: options.name,
      digest: digestSecret(secret),
      scopes: options.scopes ?? {},
      createdAt: new Date(this.#now()).toISOString(),
      ...(expires ? { expiresAt: expires.toISOString() } : {}),
      ...(options.labels ? { labels: { ...options.labels } } : {}),
    };
    const version = await this.#bucket.set(id, stored);
    this.#apply({ type: 'set', key: id, value: stored, version });
    return { key, info: toInfo(id, stored) };
  }

  /** Every key, revoked ones included, read from the API server. */
  async list(): Promise<KeyInfo[]> {
    const entries = await this.#bucket.entries({ consistent: true });
    return entries
      .filter((e) => isStored(e.value))
      .map((e) => toInfo(e.key, e.value as StoredKey))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Marks a key revoked (kept for the record); undefined when no key has that id. */
  async revoke(id: string): Promise<KeyInfo | undefined> {
    const revokedAt = new Date(this.#now()).toISOString();
    const result = await this.#bucket.update(id, (old) =>
      isStored(old) ? { ...old, revokedAt: old.revokedAt ?? revokedAt } : undefined,
    );
    const stored = result.value;
    if (!isStored(stored)) return undefined;
    this.#apply({ type: 'set', key: id, value: stored, version: result.version ?? '' });
    return toInfo(id, stored);
  }

  /** Key ids currently usable (not revoked, not expired). */
  activeCount(): number {
    let count = 0;
    const now = this.#now();
    for (const { info, expiresMs } of this.#keys.values()) {
      if (!info.revokedAt && (expiresMs === undefined || expiresMs > now)) count += 1;
    }
    return count;
  }

  close(): void {
    this.#stopWatch();
  }

  #apply(change: KvChange<unknown>): void {
    if (change.type === 'delete' || !isStored(change.value)) {
      this.#keys.delete(change.key);
      return;
    }
    const stored = change.value;
    const expiresMs = stored.expiresAt ? Date.parse(stored.expiresAt) : undefined;
    this.#keys.set(change.key, {
      info: toInfo(change.key, stored),
      digest: digestBytes(stored.digest),
      expiresMs: expiresMs !== undefined && Number.isNaN(expiresMs) ? 0 : expiresMs,
    });
  }
}
