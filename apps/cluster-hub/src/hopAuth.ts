import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KubeSmart, KvBucket } from '@kubesmart/core';

const KEY = 'hop-secret';
const SKEW_MS = 30_000;

/**
 * Authenticates requests between hub replicas (the hop): an HMAC-SHA256 over the time and the request,
 * with a secret all replicas share through a Secret (created once, by compare-and-set, by whichever
 * replica starts first). The entry replica has already checked the caller's key, scopes and rate
 * limit; the holder checks only that the hop comes from a replica, within 30 s.
 */
export class HopAuth {
  readonly #bucket: KvBucket<string>;
  #secret: Buffer | undefined;

  constructor(kubeSmart: KubeSmart, secretName: string) {
    this.#bucket = kubeSmart.kv<string>(secretName, { backend: 'secret', codec: 'string' });
  }

  async load(): Promise<void> {
    await this.#bucket.ready({ timeoutMs: 30_000 });
    const result = await this.#bucket.update(KEY, (old) => old ?? randomBytes(32).toString('base64url'));
    this.#secret = Buffer.from(result.value ?? '', 'utf8');
  }

  #mac(timestamp: string, payload: string): string {
    if (!this.#secret) throw new Error('the hop secret is not loaded');
    return createHmac('sha256', this.#secret).update(`${timestamp}\n${payload}`).digest('hex');
  }

  /** The `Authorization` header value for a hop carrying `payload`. */
  sign(payload: string, now = Date.now()): string {
    const timestamp = String(now);
    return `KubesmartHop ${timestamp}.${this.#mac(timestamp, payload)}`;
  }

  /** Whether `header` signs `payload` with the shared secret, within 30 s of now. */
  verify(header: string | undefined, payload: string, now = Date.now()): boolean {
    const match = /^KubesmartHop (\d{1,16})\.([0-9a-f]{64})$/.exec(header ?? '');
    if (!match || !this.#secret) return false;
    if (Math.abs(now - Number(match[1])) > SKEW_MS) return false;
    const expected = Buffer.from(this.#mac(match[1]!, payload), 'hex');
    return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
  }
}
