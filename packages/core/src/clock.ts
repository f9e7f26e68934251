import type { Clock, TimerHandle, TimerOptions } from './types.js';

/** The real clock: `performance` time (monotonic, epoch-aligned at start) and Node timers. */
export const systemClock: Clock = Object.freeze({
  now: () => performance.timeOrigin + performance.now(),
  setTimeout: (fn: () => void, ms: number, options?: TimerOptions): TimerHandle => {
    const timer = setTimeout(fn, ms);
    if (options?.unref) timer.unref();
    return timer;
  },
  clearTimeout: (handle: TimerHandle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});
