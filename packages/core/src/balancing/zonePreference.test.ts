import { describe, expect, it } from 'vitest';
import { states, tally } from '../../test/endpoints.js';
import { RoundRobinBalancer } from './roundRobin.js';
import { ZonePreferenceBalancer } from './zonePreference.js';

const zones = (i: number): string => ['a', 'b', 'c'][i % 3]!;

describe('ZonePreferenceBalancer', () => {
  it('keeps traffic in the local zone while it has enough endpoints', () => {
    const set = states(9, zones);
    const balancer = new ZonePreferenceBalancer(new RoundRobinBalancer(), { zone: 'a' });
    const counts = tally(() => balancer.pick(set), 300);
    expect([...counts.keys()].every((id) => set.find((s) => s.id === id)?.endpoint.zone === 'a')).toBe(true);
    expect(counts.size).toBe(3);
    expect(balancer.preferringLocal).toBe(true);
    expect(balancer.name).toBe('round-robin+zone');
  });

  it('spills over to every zone when the local one is short', () => {
    const set = states(9, zones);
    const fewLocal = set.filter((s, i) => s.endpoint.zone !== 'a' || i === 0);
    const balancer = new ZonePreferenceBalancer(new RoundRobinBalancer(), { zone: 'a', minPercent: 25 });
    expect(tally(() => balancer.pick(fewLocal), 70).size).toBe(7);
    expect(balancer.preferringLocal).toBe(false);
    const strict = new ZonePreferenceBalancer(new RoundRobinBalancer(), {
      zone: 'a',
      minEndpoints: 4,
      minPercent: 0,
    });
    expect(tally(() => strict.pick(set), 90).size).toBe(9);
  });

  it('treats endpoints without a zone as remote, and an unknown zone as no preference', () => {
    const set = states(3);
    const balancer = new ZonePreferenceBalancer(new RoundRobinBalancer(), { zone: 'a' });
    expect(tally(() => balancer.pick(set), 30).size).toBe(3);
    expect(balancer.pick([])).toBeUndefined();
  });
});
