import type { Random } from '../types.js';

/**
 * A 32-bit xorshift generator of integers, started once from an injected `Random`. Balancers draw
 * from it rather than calling `random()` per pick because V8 boxes the double a non-inlined call
 * returns (16 bytes a draw), while these integer draws allocate nothing. Quality is ample for
 * choosing endpoints; it is not for anything else.
 */
export class Xorshift32 {
  #state: number;

  constructor(start: Random) {
    const state = (Math.floor(start() * 0x100000000) ^ 0x9e3779b9) | 0;
    this.#state = state === 0 ? 0x6d2b79f5 : state;
  }

  /** A uniform integer in [0, n), for n >= 1. */
  below(n: number): number {
    let x = this.#state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#state = x;
    return (x >>> 0) % n;
  }
}
