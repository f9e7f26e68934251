import { createHash, timingSafeEqual } from 'node:crypto';
import { type EngineContext, KvBucket } from '@kubesmart/core';

const PREFIX = 'sha256:';

/** The form an API key is stored in: `sha256:<hex digest>`. */
export function hashApiKey(key: string): string {
  return `${PREFIX}${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}

/**
 * API keys stored hashed in a Secret (one entry per client: name -> `sha256:<hex>`), read through the
 * KV engine's Secret backend, so keys added or revoked with kubectl apply within a watch event.
 * A presented key is hashed and compared with every stored hash in constant time.
 */
export class ApiKeys {
  readonly #bucket: KvBucket<string | Buffer>;

  constructor(context: EngineContext, secretName: string, namespace: string) {
    this.#bucket = new KvBucket<string | Buffer>({ name: secretName, namespace, backend: 'secret', context });
  }

  get secret(): string {
    return `${this.#bucket.namespace}/${this.#bucket.name}`;
  }

  ready(): boolean {
    return this.#bucket.status().synced;
  }

  /** The client name the key belongs to, or undefined. */
  async verify(presented: string): Promise<string | undefined> {
    const candidate = createHash('sha256').update(presented, 'utf8').digest();
    let match: string | undefined;
    for (const { key, value } of await this.#bucket.entries()) {
      const text = typeof value === 'string' ? value.trim() : '';
      if (!text.startsWith(PREFIX)) continue;
      const stored = Buffer.from(text.slice(PREFIX.length), 'hex');
      if (stored.length === candidate.length && timingSafeEqual(stored, candidate)) match = key;
    }
    return match;
  }

  close(): void {
    this.#bucket.close();
  }
}
