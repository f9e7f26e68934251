import type { Random } from '../types.js';

/**
 * Delay before retry number `retry` (0 for the first retry), with "full jitter": a uniform draw in
 * [0, min(maxMs, baseMs x 2^retry)). Full jitter spreads the retries of many clients best (AWS
 * architecture blog, "Exponential Backoff And Jitter").
 */
export function fullJitterBackoff(retry: number, baseMs: number, maxMs: number, random: Random): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, retry));
  return random() * ceiling;
}
