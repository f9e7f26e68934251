import { describe, expect, it } from 'vitest';
import { endpoints } from '../../test/endpoints.js';
import { FakeClock } from '../../test/fakeClock.js';
import { EndpointSet } from '../endpoints/endpointSet.js';
import { type EjectionEvent, OutlierDetector, type RestoreEvent } from './outlierDetector.js';

function setup(count: number, options: ConstructorParameters<typeof OutlierDetector>[1] = {}) {
  const clock = new FakeClock();
  const set = new EndpointSet({ panicThresholdPercent: 0 });
  set.update(endpoints(count));
  const detector = new OutlierDetector(set, {
    clock,
    consecutiveFailures: 3,
    baseEjectionTimeMs: 1000,
    ...options,
  });
  const ejected: EjectionEvent[] = [];
  const restored: RestoreEvent[] = [];
  detector.on('ejected', (e) => ejected.push(e));
  detector.on('restored', (e) => restored.push(e));
  const fail = (i: number, times: number): void => {
    for (let k = 0; k < times; k++) detector.onFailure(set.all[i]!);
  };
  return { clock, set, detector, ejected, restored, fail };
}

describe('OutlierDetector', () => {
  it('ejects after consecutive failures; a success resets the count', () => {
    const { set, detector, ejected, fail } = setup(4);
    fail(0, 2);
    detector.onSuccess(set.all[0]!);
    fail(0, 2);
    expect(set.all[0]!.ejected).toBe(false);
    fail(0, 1);
    expect(set.all[0]!.ejected).toBe(true);
    expect(set.candidates).toHaveLength(3);
    expect(ejected).toMatchObject([
      { endpoint: { id: set.all[0]!.id }, ejections: 1, durationMs: 1000, consecutiveFailures: 3 },
    ]);
  });

  it('restores on its timer, and ejects longer each time up to the cap', async () => {
    const { clock, set, ejected, restored, fail } = setup(4, { maxEjectionTimeMs: 2500 });
    const state = set.all[0]!;
    fail(0, 3);
    expect(state.ejectedUntil).toBe(1000);
    await clock.advance(1000);
    expect(state.ejected).toBe(false);
    expect(restored).toHaveLength(1);
    fail(0, 3);
    await clock.advance(1999);
    expect(state.ejected).toBe(true);
    await clock.advance(1);
    fail(0, 3);
    expect(ejected.map((e) => e.durationMs)).toEqual([1000, 2000, 2500]);
    expect(ejected.map((e) => e.ejections)).toEqual([1, 2, 3]);
  });

  it('lets the ejection count decay while the endpoint behaves', async () => {
    const { clock, detector, set, ejected, fail } = setup(4);
    fail(0, 3);
    await clock.advance(1000);
    fail(0, 3);
    await clock.advance(2000);
    expect(detector.ejections(set.all[0]!)).toBe(2);
    await clock.advance(2000);
    expect(detector.ejections(set.all[0]!)).toBe(0);
    fail(0, 3);
    expect(ejected.at(-1)?.ejections).toBe(1);
  });

  it('never ejects more than maxEjectionPercent, but always allows one', () => {
    const { set, fail } = setup(4, { maxEjectionPercent: 50 });
    fail(0, 3);
    fail(1, 3);
    fail(2, 3);
    expect(set.all.map((s) => s.ejected)).toEqual([true, true, false, false]);
    const small = setup(3, { maxEjectionPercent: 10 });
    small.fail(0, 3);
    small.fail(1, 3);
    expect(small.set.all.map((s) => s.ejected)).toEqual([true, false, false]);
  });

  it('restore() brings an endpoint back at once; close() clears timers', async () => {
    const { clock, detector, set, restored, fail } = setup(4);
    fail(0, 3);
    fail(1, 3);
    detector.restore(set.all[0]!);
    expect(set.all[0]!.ejected).toBe(false);
    expect(restored).toHaveLength(1);
    expect(clock.pending).toBe(1);
    detector.close();
    expect(clock.pending).toBe(0);
    fail(2, 10);
    expect(set.all[2]!.ejected).toBe(false);
  });

  it('remove() forgets an endpoint and its timer', () => {
    const { clock, detector, set, fail } = setup(4);
    fail(0, 3);
    detector.remove(set.all[0]!);
    expect(clock.pending).toBe(0);
    expect(detector.ejections(set.all[0]!)).toBe(0);
  });
});
