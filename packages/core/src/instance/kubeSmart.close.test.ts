import { createMockCluster } from '@kubesmart/mock';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { deployApp, drive, kubeSmartFor, waitInStep } from '../../test/meshCluster.js';
import { waitFor } from '../../test/waitFor.js';
import { systemClock } from '../clock.js';
import type { Clock, TimerHandle } from '../types.js';

/** Kinds that are the test runner's own or come and go with it (file reads, its RPC port). */
const RUNNER_KINDS = new Set([
  'FSReqCallback',
  'FSReqPromise',
  'FileHandleCloseReq',
  'MessagePort',
  'TTYWrap',
]);

/** Active resources of the process, by kind, without the runner's. */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) {
    if (!RUNNER_KINDS.has(kind)) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  return counts;
}

/** Kinds with more resources now than in `before`, and how many more. */
function extra(before: Map<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [kind, count] of activeResources()) {
    const more = count - (before.get(kind) ?? 0);
    if (more > 0) result[kind] = more;
  }
  return result;
}

/** The system clock, counting the timers set through it that have neither fired nor been cleared. */
function trackingClock(): Clock & { pending: Set<TimerHandle> } {
  const pending = new Set<TimerHandle>();
  return {
    pending,
    now: () => systemClock.now(),
    setTimeout: (fn, ms, options) => {
      const handle = systemClock.setTimeout(
        () => {
          pending.delete(handle);
          fn();
        },
        ms,
        options,
      );
      pending.add(handle);
      return handle;
    },
    clearTimeout: (handle) => {
      pending.delete(handle);
      systemClock.clearTimeout(handle);
    },
  };
}

describe('KubeSmart.close()', () => {
  it('leaves no watch, timer, probe or socket behind', async () => {
    const cluster = await createMockCluster({ probeIntervalMs: 50 });
    await deployApp(cluster, 'tidy', { replicas: 3 });
    await waitFor(
      'the pods to run',
      () => cluster.pods.status().filter((p) => p.ip !== undefined).length === 3,
    );
    const before = activeResources();
    const clock = trackingClock();
    const ks = kubeSmartFor(cluster, { clock, metrics: { registry: new Registry() } });
    const svc = ks.service('tidy', {
      health: { type: 'http', path: '/healthz', intervalMs: 50 },
      circuitBreaker: { failureThreshold: 1, openMs: 60_000 },
      outlierDetection: { consecutiveFailures: 1, baseEjectionTimeMs: 60_000 },
      retry: { timeoutMs: 500 },
    });
    ks.service('tidy', { source: 'pods' });
    await waitInStep(cluster, svc, 3);
    await (await svc.fetch('/warm-up')).text();
    const hung = svc.endpoints()[0]!.endpoint.pod!;
    cluster.pods.hang(hung);
    await drive(30, 3, async () => (await svc.fetch('/')).text());
    expect(svc.status().ejected + svc.status().breakers.open).toBeGreaterThan(0);
    const inFlight = svc
      .fetch('/pending', { idempotent: false, timeoutMs: 60_000, key: 'x' })
      .catch(() => 'closed');
    await ks.close();
    expect(await inFlight).toBe('closed');
    // Unref'd timers (health checks, ejections, breakers) do not show in getActiveResourcesInfo();
    // the injected clock sees them. A watch's idle timer goes when its response emits 'close'.
    await waitFor('every timer to be cleared', () => clock.pending.size === 0, { timeoutMs: 2000 }).catch(
      () => undefined,
    );
    expect(clock.pending.size).toBe(0);
    // The cluster keeps running: its own probes come and go, so wait for a moment without extras.
    await cluster.pods.restore(hung);
    await waitFor('every resource to be released', () => Object.keys(extra(before)).length === 0, {
      timeoutMs: 2000,
    }).catch(() => undefined);
    expect(extra(before)).toEqual({});
    await cluster.close();
  });
});
