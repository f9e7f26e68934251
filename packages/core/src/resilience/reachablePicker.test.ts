import { describe, expect, it } from 'vitest';
import { endpoints } from '../../test/endpoints.js';
import { FakeClock } from '../../test/fakeClock.js';
import { createPicker } from '../balancing/endpointPicker.js';
import { RoundRobinBalancer } from '../balancing/roundRobin.js';
import { EndpointSet } from '../endpoints/endpointSet.js';
import type { EndpointState } from '../endpoints/endpointState.js';
import { InvalidArgumentError } from '../errors.js';
import type { HealthProbe } from '../health/probes.js';
import { ReachablePicker } from './reachablePicker.js';

function setup(refusing: ReadonlySet<string>, options: { ttlMs?: number; hang?: boolean } = {}) {
  const clock = new FakeClock(1_000);
  const set = new EndpointSet();
  set.update(endpoints(3));
  const probed: string[] = [];
  const probe: HealthProbe = (endpoint, signal) => {
    probed.push(endpoint.id);
    if (options.hang) {
      return new Promise((resolve) =>
        signal.addEventListener('abort', () => resolve({ ok: false, reason: 'aborted' })),
      );
    }
    return Promise.resolve(refusing.has(endpoint.id) ? { ok: false, reason: 'ECONNREFUSED' } : { ok: true });
  };
  const unreachable: [string, string][] = [];
  const picker = new ReachablePicker({
    picker: createPicker(set, new RoundRobinBalancer({ random: () => 0 })),
    clock,
    probe,
    ttlMs: options.ttlMs ?? 250,
    onUnreachable: (state: EndpointState, reason) => unreachable.push([state.id, reason]),
  });
  return { clock, set, picker, probed, unreachable };
}

describe('ReachablePicker', () => {
  it('checks an endpoint not seen lately, then hands it out without a check within ttlMs', async () => {
    const { clock, picker, probed } = setup(new Set());
    const first = await picker.pick(undefined);
    expect(first.state?.id).toBe('10.0.0.1:8080');
    expect(probed).toEqual(['10.0.0.1:8080']);
    await picker.pick(undefined);
    await picker.pick(undefined);
    expect(probed).toHaveLength(3);
    expect((await picker.pick(undefined)).state?.id).toBe('10.0.0.1:8080');
    expect(probed).toHaveLength(3);
    await clock.advance(251);
    await picker.pick(undefined);
    expect(probed).toHaveLength(4);
  });

  it('counts a served request as seen reachable, and shares one check between concurrent picks', async () => {
    const { clock, set, picker, probed } = setup(new Set());
    set.all[0]!.recordOutcome(3, true, clock.now());
    expect(picker.fresh(set.all[0]!)).toBe(true);
    expect(picker.verify(set.all[0]!)).toBe(true);
    const [a, b] = [picker.verify(set.all[1]!), picker.verify(set.all[1]!)];
    expect(a).toBe(b);
    expect(await a).toEqual({ ok: true });
    expect(probed).toEqual(['10.0.0.2:8080']);
  });

  it('reports an unreachable endpoint and picks another; says why when none is reachable', async () => {
    const refusing = new Set(['10.0.0.1:8080']);
    const { picker, unreachable } = setup(refusing);
    expect((await picker.pick(undefined)).state?.id).toBe('10.0.0.2:8080');
    expect(unreachable).toEqual([['10.0.0.1:8080', 'ECONNREFUSED']]);
    const none = setup(new Set(['10.0.0.1:8080', '10.0.0.2:8080', '10.0.0.3:8080']));
    expect(await none.picker.pick(undefined)).toEqual({
      state: undefined,
      reason: '10.0.0.3:8080: ECONNREFUSED',
    });
    expect(none.unreachable).toHaveLength(3);
  });

  it('gives up on a connect that does not finish within timeoutMs, and rejects bad options', async () => {
    const { clock, set, picker, unreachable } = setup(new Set(), { hang: true });
    const pending = picker.verify(set.all[0]!);
    await clock.advance(250);
    expect(await pending).toEqual({ ok: false, reason: 'no TCP connect within 250 ms' });
    expect(unreachable).toEqual([['10.0.0.1:8080', 'no TCP connect within 250 ms']]);
    const bad = { picker: createPicker(set, new RoundRobinBalancer()), clock, onUnreachable() {} };
    expect(() => new ReachablePicker({ ...bad, ttlMs: -1 })).toThrow(InvalidArgumentError);
    expect(() => new ReachablePicker({ ...bad, maxChecks: 0 })).toThrow(/maxChecks/);
  });
});
