import { describe, expect, it } from 'vitest';
import { endpoints } from '../../test/endpoints.js';
import { createEndpoint } from '../createEndpoint.js';
import { EndpointSet } from './endpointSet.js';

describe('EndpointSet', () => {
  it('keeps the state of endpoints that stay, reports added and removed', () => {
    const set = new EndpointSet();
    const [a, b, c] = endpoints(3);
    const first = set.update([a!, b!]);
    expect(first.added.map((s) => s.id)).toEqual([a!.id, b!.id]);
    const stateB = set.get(b!.id);
    stateB!.beginRequest();
    const second = set.update([b!, c!, c!]);
    expect(second.added.map((s) => s.id)).toEqual([c!.id]);
    expect(second.removed.map((s) => s.id)).toEqual([a!.id]);
    expect(set.get(b!.id)).toBe(stateB);
    expect(set.get(b!.id)!.inflight).toBe(1);
    expect(set.size).toBe(2);
  });

  it('starts afresh when a new pod reuses an address, and updates metadata in place', () => {
    const set = new EndpointSet();
    set.update([createEndpoint({ host: '10.0.0.1', port: 80, pod: 'old' })]);
    const old = set.get('10.0.0.1:80')!;
    set.update([createEndpoint({ host: '10.0.0.1', port: 80, pod: 'old', zone: 'z' })]);
    expect(set.get('10.0.0.1:80')).toBe(old);
    expect(old.endpoint.zone).toBe('z');
    const change = set.update([createEndpoint({ host: '10.0.0.1', port: 80, pod: 'new' })]);
    expect(change.removed).toEqual([old]);
    expect(set.get('10.0.0.1:80')).not.toBe(old);
  });

  it('candidates are the available endpoints, and keep identity until availability changes', () => {
    const set = new EndpointSet();
    set.update(endpoints(4));
    const before = set.candidates;
    expect(before).toHaveLength(4);
    expect(set.candidates).toBe(before);
    set.all[0]!.setHealth('healthy');
    expect(set.candidates).toBe(before);
    set.all[1]!.setEjectedUntil(100);
    const after = set.candidates;
    expect(after).not.toBe(before);
    expect(after.map((s) => s.id)).toEqual([set.all[0]!.id, set.all[2]!.id, set.all[3]!.id]);
    expect(set.panic).toBe(false);
  });

  it('enters panic mode under the threshold and uses every endpoint', () => {
    const set = new EndpointSet({ panicThresholdPercent: 50 });
    set.update(endpoints(4));
    set.all[0]!.setHealth('unhealthy');
    set.all[1]!.setCircuit('open');
    expect(set.panic).toBe(false);
    expect(set.candidates).toHaveLength(2);
    set.all[2]!.setEjectedUntil(1);
    expect(set.panic).toBe(true);
    expect(set.candidates).toHaveLength(4);
  });

  it('with panic mode off, no available endpoint means no candidate', () => {
    const set = new EndpointSet({ panicThresholdPercent: 0 });
    set.update(endpoints(2));
    for (const state of set.all) state.setHealth('unhealthy');
    expect(set.candidates).toEqual([]);
    expect(set.panic).toBe(false);
  });

  it('rejects a threshold out of range', () => {
    expect(() => new EndpointSet({ panicThresholdPercent: 120 })).toThrow(/panicThresholdPercent/);
  });
});
