/**
 * The latencies of a service's last successful attempts, in a fixed ring, and a quantile of them.
 * The quantile is recomputed only every `recomputeEvery` samples, so reading it on every call costs
 * a field read; the ring never grows.
 */
export class LatencyWindow {
  readonly #samples: Float64Array;
  readonly #quantile: number;
  readonly #recomputeEvery: number;
  #count = 0;
  #next = 0;
  #sinceRecompute = 0;
  #value: number | undefined = undefined;

  /**
   * @param size samples kept (the last `size` successes)
   * @param quantile the quantile reported, in (0, 1]
   * @param recomputeEvery samples between two recomputations of the quantile
   */
  constructor(size = 256, quantile = 0.99, recomputeEvery = 16) {
    this.#samples = new Float64Array(size);
    this.#quantile = quantile;
    this.#recomputeEvery = recomputeEvery;
  }

  /** Samples recorded so far, at most the ring's size. */
  get count(): number {
    return this.#count;
  }

  record(latencyMs: number): void {
    this.#samples[this.#next] = latencyMs;
    this.#next = (this.#next + 1) % this.#samples.length;
    if (this.#count < this.#samples.length) this.#count++;
    if (++this.#sinceRecompute >= this.#recomputeEvery || this.#value === undefined) this.#recompute();
  }

  /** The quantile of the samples kept, in ms; undefined before the first sample. */
  get value(): number | undefined {
    return this.#value;
  }

  #recompute(): void {
    this.#sinceRecompute = 0;
    const sorted = this.#samples.slice(0, this.#count).sort();
    this.#value = sorted[Math.min(sorted.length - 1, Math.ceil(this.#quantile * sorted.length) - 1)];
  }
}
