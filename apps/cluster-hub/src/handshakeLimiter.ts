/**
 * Admits at most `perSecond` agent handshakes per second (a token bucket with a burst of the same
 * size), so a hub that restarts under thousands of agents is not flattened by their reconnects. The
 * rest are told when to come back, spread over the queue: the n-th agent refused within a second is
 * told to wait about n / perSecond seconds more than the first, so they do not all return together.
 * No timers.
 */
export class HandshakeLimiter {
  #tokens: number;
  #at: number;
  #windowStart: number;
  #refusedInWindow = 0;

  constructor(
    readonly perSecond: number,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = perSecond;
    this.#at = now();
    this.#windowStart = this.#at;
  }

  /** 0 when admitted, else the seconds to wait. */
  take(): number {
    const now = this.now();
    this.#tokens = Math.min(this.perSecond, this.#tokens + ((now - this.#at) / 1000) * this.perSecond);
    this.#at = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return 0;
    }
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#refusedInWindow = 0;
    }
    this.#refusedInWindow += 1;
    return Math.max(1, Math.ceil((1 - this.#tokens + this.#refusedInWindow) / this.perSecond));
  }
}
