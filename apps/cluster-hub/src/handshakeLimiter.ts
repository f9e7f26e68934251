/**
 * Admits at most `perSecond` agent handshakes per second (a token bucket with a burst of the same
 * size), so a hub that restarts under thousands of agents is not flattened by their reconnects; the
 * rest are told when to come back. No timers.
 */
export class HandshakeLimiter {
  #tokens: number;
  #at: number;

  constructor(
    readonly perSecond: number,
    readonly now: () => number = () => performance.now(),
  ) {
    this.#tokens = perSecond;
    this.#at = now();
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
    return Math.max(1, Math.ceil((1 - this.#tokens) / this.perSecond));
  }
}
