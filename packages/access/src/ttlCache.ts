interface Cached<T> {
  readonly value: T;
  readonly expires: number;
}

/** A map with per-entry expiry and a size cap (the oldest entry goes first). No timers. */
export class TtlCache<T> {
  readonly #entries = new Map<string, Cached<T>>();

  constructor(readonly max: number) {}

  get(key: string, now: number): T | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.expires > now) return hit.value;
    this.#entries.delete(key);
    return undefined;
  }

  set(key: string, value: T, ttlMs: number, now: number): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expires: now + ttlMs });
  }

  get size(): number {
    return this.#entries.size;
  }
}
