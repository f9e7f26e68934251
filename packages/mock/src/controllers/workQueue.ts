import type { Logger } from '../types.js';

/**
 * Coalesces keys to reconcile and processes them after the current store write has returned, so a
 * controller never writes from inside a store listener and a burst of changes costs one pass per key.
 */
export class WorkQueue {
  readonly #pending = new Set<string>();
  #scheduled: NodeJS.Immediate | undefined;
  #closed = false;

  constructor(
    private readonly name: string,
    private readonly reconcile: (key: string) => void,
    private readonly logger: Logger,
  ) {}

  enqueue(key: string): void {
    if (this.#closed) return;
    this.#pending.add(key);
    this.#scheduled ??= setImmediate(() => this.#drain());
  }

  close(): void {
    this.#closed = true;
    if (this.#scheduled) clearImmediate(this.#scheduled);
    this.#scheduled = undefined;
    this.#pending.clear();
  }

  #drain(): void {
    this.#scheduled = undefined;
    const keys = [...this.#pending];
    this.#pending.clear();
    for (const key of keys) {
      if (this.#closed) return;
      try {
        this.reconcile(key);
      } catch (error) {
        this.logger.warn({ err: error, controller: this.name, key }, 'reconcile failed; retrying');
        setTimeout(() => this.enqueue(key), 50).unref();
      }
    }
  }
}

/** `namespace/name` keys used by every controller. */
export const keyOf = (namespace: string | undefined, name: string | undefined): string =>
  `${namespace ?? ''}/${name ?? ''}`;

export function splitKey(key: string): [string, string] {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
}
