import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** @default 10000 */
  timeoutMs?: number;
  /** @default 20 */
  intervalMs?: number;
  /** Describes what was awaited, for the error. */
  what?: string;
}

/**
 * Polls `check` until it returns a value other than `undefined`/`false`, and returns it. Throws with
 * the last value seen (or the last error) when `timeoutMs` passes: a bound for hung tests, not a timing
 * assertion.
 */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  options: WaitForOptions = {},
): Promise<T> {
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(
        `waited ${options.timeoutMs ?? 10_000} ms for ${options.what ?? 'a condition'}; last: ${seen}`,
      );
    }
    await sleep(options.intervalMs ?? 20);
  }
}
