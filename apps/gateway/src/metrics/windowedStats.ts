import { bucketOf, HISTOGRAM_BUCKETS, quantileOf } from './latencyHistogram.js';

/** Requests of the last few seconds: rate, errors and latency percentiles, plus totals since start. */
export interface StatsSnapshot {
  /** Requests per second over the window. */
  readonly rate: number;
  /** Failed requests per second over the window. */
  readonly errorRate: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  /** Requests since start (or the last reset). */
  readonly requests: number;
  readonly errors: number;
}

interface Slot {
  second: number;
  count: number;
  errors: number;
  readonly hist: Uint32Array;
}

/**
 * Per-second slots in a ring: recording is O(1) without allocation, and a snapshot merges the slots
 * of the last `windowSeconds`.
 */
export class WindowedStats {
  readonly #windowSeconds: number;
  readonly #slots: Slot[];
  readonly #merged = new Uint32Array(HISTOGRAM_BUCKETS);
  #requests = 0;
  #errors = 0;
  #firstMs: number | undefined;
  #lastMs: number | undefined;

  constructor(windowSeconds = 5) {
    this.#windowSeconds = windowSeconds;
    this.#slots = Array.from({ length: windowSeconds + 1 }, () => ({
      second: -1,
      count: 0,
      errors: 0,
      hist: new Uint32Array(HISTOGRAM_BUCKETS),
    }));
  }

  record(latencyMs: number, ok: boolean, nowMs: number): void {
    this.#firstMs ??= nowMs;
    this.#lastMs = nowMs;
    const second = Math.floor(nowMs / 1000);
    const slot = this.#slots[second % this.#slots.length]!;
    if (slot.second !== second) {
      slot.second = second;
      slot.count = 0;
      slot.errors = 0;
      slot.hist.fill(0);
    }
    slot.count++;
    slot.hist[bucketOf(latencyMs)]!++;
    this.#requests++;
    if (!ok) {
      slot.errors++;
      this.#errors++;
    }
  }

  snapshot(nowMs: number): StatsSnapshot {
    const second = Math.floor(nowMs / 1000);
    const merged = this.#merged;
    merged.fill(0);
    let count = 0;
    let errors = 0;
    for (const slot of this.#slots) {
      if (slot.second < 0 || slot.second > second || slot.second <= second - this.#windowSeconds) continue;
      count += slot.count;
      errors += slot.errors;
      for (let i = 0; i < merged.length; i++) merged[i]! += slot.hist[i]!;
    }
    // The window spans the last full seconds plus the current partial one, but not before the first record.
    const windowStart = Math.max((second - this.#windowSeconds + 1) * 1000, this.#firstMs ?? nowMs);
    const spanSeconds = Math.max(1, (nowMs - windowStart) / 1000);
    return {
      rate: count / spanSeconds,
      errorRate: errors / spanSeconds,
      p50Ms: quantileOf(merged, count, 0.5),
      p99Ms: quantileOf(merged, count, 0.99),
      requests: this.#requests,
      errors: this.#errors,
    };
  }

  /** Time of the last record, or undefined before the first. */
  get lastRecordMs(): number | undefined {
    return this.#lastMs;
  }

  reset(): void {
    for (const slot of this.#slots) slot.second = -1;
    this.#requests = 0;
    this.#errors = 0;
    this.#firstMs = undefined;
    this.#lastMs = undefined;
  }
}
