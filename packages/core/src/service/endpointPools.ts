import { Pool } from 'undici';
import { ClosedError } from '../errors.js';
import type { Endpoint, Logger } from '../types.js';
import type { HttpOptions } from './smartServiceOptions.js';

/**
 * One undici keep-alive `Pool` per endpoint, so `fetch()` spreads requests (not connections) over
 * pods. A pool is made on first use, closed gracefully when its endpoint leaves the service, and
 * destroyed (sockets cut) by `close()`.
 */
export class EndpointPools {
  readonly #options: Readonly<Required<HttpOptions>>;
  readonly #logger: Logger;
  readonly #pools = new Map<string, Pool>();
  readonly #retiring = new Set<Pool>();
  #closed = false;

  constructor(options: Readonly<Required<HttpOptions>>, logger: Logger) {
    this.#options = options;
    this.#logger = logger;
  }

  /** Pools open now (one per endpoint used), retiring ones included. */
  get size(): number {
    return this.#pools.size + this.#retiring.size;
  }

  /** The pool of `endpoint`, made on first use. */
  get(endpoint: Endpoint): Pool {
    if (this.#closed) throw new ClosedError(`the HTTP pools were closed; no request to ${endpoint.id}`);
    let pool = this.#pools.get(endpoint.id);
    if (pool === undefined) {
      const { connections, keepAliveTimeoutMs, connectTimeoutMs } = this.#options;
      pool = new Pool(endpoint.url, {
        connections,
        keepAliveTimeout: keepAliveTimeoutMs,
        connect: { timeout: connectTimeoutMs },
      });
      this.#pools.set(endpoint.id, pool);
    }
    return pool;
  }

  /** Closes the pool of an endpoint that left: requests in flight finish, then its sockets close. */
  release(endpointId: string): void {
    const pool = this.#pools.get(endpointId);
    if (pool === undefined) return;
    this.#pools.delete(endpointId);
    this.#retiring.add(pool);
    pool
      .close()
      .catch((error: unknown) =>
        this.#logger.debug({ err: error, endpoint: endpointId }, 'pool close failed'),
      )
      .finally(() => this.#retiring.delete(pool));
  }

  /** Destroys every pool: in-flight requests fail, sockets close. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values(), ...this.#retiring];
    this.#pools.clear();
    this.#retiring.clear();
    await Promise.all(pools.map((pool) => pool.destroy().catch(() => {})));
  }
}
