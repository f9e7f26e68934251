import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** How long to keep trying before failing: a bound for a hung test on a loaded machine, never a timing assertion. @default 60000 */
  timeoutMs?: number;
  /** Pause between two checks. @default 20 */
  intervalMs?: number;
}

/**
 * Polls `check` until it returns a truthy value, and returns that value. When `timeoutMs` passes first
 * it throws an Error naming `what` and the last error `check` threw, if any. For tests that wait on
 * conditions instead of sleeping a fixed time.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  options: WaitForOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    if (performance.now() > deadline) {
      const cause = last instanceof Error ? `: ${last.message}` : '';
      throw new Error(`waited ${timeoutMs} ms for ${what}${cause}`);
    }
    await sleep(options.intervalMs ?? 20);
  }
}
