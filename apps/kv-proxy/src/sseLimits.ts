import { HttpError } from './httpErrors.js';

export interface SseLimitOptions {
  /** Streams open at once, over every caller: 503 beyond. */
  maxStreams: number;
  /** Streams one caller holds: 429 beyond. */
  maxPerCaller: number;
  /** Streams on one bucket and prefix: 429 beyond. */
  maxPerKey: number;
}

/**
 * Counts the SSE streams held, in total, per caller and per watched bucket and prefix. A slot is taken
 * before the stream waits for its bucket's sync and given back as soon as its client leaves.
 */
export class SseLimits {
  readonly #options: SseLimitOptions;
  readonly #byCaller = new Map<string, number>();
  readonly #byKey = new Map<string, number>();
  #total = 0;

  constructor(options: SseLimitOptions) {
    this.#options = options;
  }

  get open(): number {
    return this.#total;
  }

  /** Takes a slot or throws the {@link HttpError} that says which limit is reached; returns its release (idempotent). */
  take(caller: string, key: string): () => void {
    const { maxStreams, maxPerCaller, maxPerKey } = this.#options;
    if (this.#total >= maxStreams)
      throw new HttpError(
        503,
        'TOO_MANY_STREAMS',
        `The proxy holds ${this.#total} watch streams, its limit (SSE_MAX_STREAMS); retry later.`,
        { 'Retry-After': '5' },
      );
    if ((this.#byCaller.get(caller) ?? 0) >= maxPerCaller)
      throw new HttpError(
        429,
        'TOO_MANY_STREAMS_FOR_CALLER',
        `This caller already holds ${maxPerCaller} watch streams (SSE_MAX_STREAMS_PER_CALLER); close one first.`,
        { 'Retry-After': '5' },
      );
    if ((this.#byKey.get(key) ?? 0) >= maxPerKey)
      throw new HttpError(
        429,
        'TOO_MANY_STREAMS_FOR_KEY',
        `${maxPerKey} watch streams already follow this bucket and prefix (SSE_MAX_STREAMS_PER_KEY); share one.`,
        { 'Retry-After': '5' },
      );
    this.#total += 1;
    bump(this.#byCaller, caller, 1);
    bump(this.#byKey, key, 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      bump(this.#byCaller, caller, -1);
      bump(this.#byKey, key, -1);
    };
  }
}

function bump(counts: Map<string, number>, name: string, by: number): void {
  const next = (counts.get(name) ?? 0) + by;
  if (next <= 0) counts.delete(name);
  else counts.set(name, next);
}
