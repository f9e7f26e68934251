import { describe, expect, it } from 'vitest';
import { states, tally } from '../../test/endpoints.js';
import { FakeClock, repeatableRandom } from '../../test/fakeClock.js';
import { createBalancer } from './createBalancer.js';
import { LeastRequestBalancer } from './leastRequest.js';
import { PeakEwmaBalancer } from './peakEwma.js';
import { RandomBalancer } from './randomBalancer.js';
import { RoundRobinBalancer } from './roundRobin.js';

describe('RoundRobinBalancer', () => {
  it('visits every endpoint in turn from a random start', () => {
    const set = states(3);
    const balancer = new RoundRobinBalancer({ random: () => 0.5 });
    const ids = Array.from({ length: 6 }, () => balancer.pick(set)!.id);
    expect(ids.slice(0, 3).sort()).toEqual(set.map((s) => s.id).sort());
    expect(ids.slice(3)).toEqual(ids.slice(0, 3));
  });

  it('copes with a shrinking set and an empty one', () => {
    const balancer = new RoundRobinBalancer({ random: () => 0 });
    const set = states(5);
    for (let i = 0; i < 4; i++) balancer.pick(set);
    expect(set.slice(0, 2)).toContain(balancer.pick(set.slice(0, 2)));
    expect(balancer.pick([])).toBeUndefined();
  });
});

describe('RandomBalancer', () => {
  it('spreads uniformly with the injected random', () => {
    const set = states(4);
    const balancer = new RandomBalancer({ random: repeatableRandom(1) });
    const counts = tally(() => balancer.pick(set), 40_000);
    for (const state of set) expect(counts.get(state.id)).toBeGreaterThan(9_000);
    expect(balancer.pick([])).toBeUndefined();
  });
});

describe('LeastRequestBalancer', () => {
  it('of two random endpoints, takes the one with fewer requests in flight', () => {
    const set = states(2);
    set[0]!.beginRequest();
    const balancer = new LeastRequestBalancer({ random: repeatableRandom(2) });
    for (let i = 0; i < 20; i++) expect(balancer.pick(set)).toBe(set[1]);
  });

  it('steers load away from a busy endpoint among many', () => {
    const set = states(5);
    for (let i = 0; i < 10; i++) set[0]!.beginRequest();
    const balancer = new LeastRequestBalancer({ random: repeatableRandom(3) });
    const counts = tally(() => balancer.pick(set), 10_000);
    // the busy endpoint only wins when drawn twice, which the two distinct draws rule out
    expect(counts.get(set[0]!.id)).toBeUndefined();
    expect(balancer.pick(set.slice(0, 1))).toBe(set[0]);
    expect(balancer.pick([])).toBeUndefined();
  });
});

describe('PeakEwmaBalancer', () => {
  it('sends less traffic to a slow endpoint', () => {
    const clock = new FakeClock();
    const set = states(3);
    set[0]!.endRequest(60, true, 0);
    set[1]!.endRequest(10, true, 0);
    set[2]!.endRequest(10, true, 0);
    const balancer = new PeakEwmaBalancer({ random: repeatableRandom(4), clock });
    const counts = tally(() => balancer.pick(set), 3_000);
    // the slow one wins no pair while its cost is highest
    expect(counts.get(set[0]!.id)).toBeUndefined();
  });

  it('weighs requests in flight: cost = latency x (in flight + 1)', () => {
    const clock = new FakeClock();
    const set = states(2);
    set[0]!.endRequest(10, true, 0);
    set[1]!.endRequest(30, true, 0);
    const balancer = new PeakEwmaBalancer({ random: repeatableRandom(5), clock });
    expect(balancer.pick(set)).toBe(set[0]);
    for (let i = 0; i < 3; i++) set[0]!.beginRequest();
    expect(balancer.pick(set)).toBe(set[1]);
  });

  it('tries a slow endpoint again once its estimate decays', async () => {
    const clock = new FakeClock();
    const set = states(2);
    set[0]!.endRequest(500, true, 0);
    set[1]!.endRequest(10, true, 0);
    set[1]!.beginRequest();
    const balancer = new PeakEwmaBalancer({ random: repeatableRandom(6), clock });
    expect(balancer.pick(set)).toBe(set[1]);
    // the busy endpoint keeps answering in 10 ms while the idle slow one's estimate decays
    await clock.advance(60_000);
    set[1]!.beginRequest();
    set[1]!.endRequest(10, true, clock.now());
    expect(set[0]!.latencyEstimate(clock.now())).toBeLessThan(2);
    expect(balancer.pick(set)).toBe(set[0]);
  });
});

describe('createBalancer', () => {
  it('builds each balancer by name, least-request by default', () => {
    expect(createBalancer().name).toBe('least-request');
    for (const name of ['round-robin', 'random', 'least-request', 'peak-ewma', 'consistent-hash'] as const) {
      expect(createBalancer(name).name).toBe(name);
    }
    expect(createBalancer({ type: 'round-robin', zone: 'a' }).name).toBe('round-robin+zone');
  });

  it('rejects an unknown name with the list of known ones', () => {
    expect(() => createBalancer('fastest' as never)).toThrow(/Unknown balancer 'fastest'.*round-robin/);
  });
});
