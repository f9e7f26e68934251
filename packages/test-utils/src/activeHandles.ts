import { setTimeout as sleep } from 'node:timers/promises';

/** Counts of `process.getActiveResourcesInfo()` entries by type (`TCPSocketWrap`, `Timeout`, ...). */
export type HandleCounts = Record<string, number>;

export function countActiveHandles(): HandleCounts {
  const counts: HandleCounts = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/**
 * A baseline of active handles: for each type, the fewest seen over `samples` readings. Transient
 * handles that come and go around the test (the test runner's RPC timers, an emulated kubelet's probe
 * sockets) are left out, while long-lived ones (the runner's channel, the test's own timeout) stay in.
 */
export async function handleBaseline(samples = 20, intervalMs = 10): Promise<HandleCounts> {
  let min: HandleCounts | undefined;
  for (let i = 0; i < samples; i += 1) {
    const now = countActiveHandles();
    if (!min) min = now;
    else {
      for (const type of new Set([...Object.keys(min), ...Object.keys(now)])) {
        min[type] = Math.min(min[type] ?? 0, now[type] ?? 0);
      }
    }
    await sleep(intervalMs);
  }
  return min ?? {};
}

/** Handle types with more entries now than in `baseline`, with how many more. */
export function handlesAbove(baseline: HandleCounts, now: HandleCounts = countActiveHandles()): HandleCounts {
  const extra: HandleCounts = {};
  for (const [type, count] of Object.entries(now)) {
    const over = count - (baseline[type] ?? 0);
    if (over > 0) extra[type] = over;
  }
  return extra;
}
