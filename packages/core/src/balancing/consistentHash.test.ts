import { describe, expect, it } from 'vitest';
import { states } from '../../test/endpoints.js';
import { ConsistentHashBalancer } from './consistentHash.js';

const keys = Array.from({ length: 5_000 }, (_, i) => `user-${i}`);

function assign(
  balancer: ConsistentHashBalancer,
  set: readonly ReturnType<typeof states>[number][],
): Map<string, string> {
  return new Map(keys.map((key) => [key, balancer.pick(set, key)!.id]));
}

describe('ConsistentHashBalancer', () => {
  it('maps a key to the same endpoint every time, whatever the order of endpoints', () => {
    const set = states(5);
    const a = assign(new ConsistentHashBalancer(), set);
    const b = assign(new ConsistentHashBalancer(), [...set].reverse());
    expect(b).toEqual(a);
  });

  it('spreads keys over endpoints', () => {
    const set = states(5);
    const counts = new Map<string, number>();
    for (const id of assign(new ConsistentHashBalancer(), set).values())
      counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(5);
    for (const count of counts.values()) expect(count).toBeGreaterThan(600);
  });

  it('moves only the keys of a removed endpoint', () => {
    const set = states(5);
    const balancer = new ConsistentHashBalancer();
    const before = assign(balancer, set);
    const removed = set[2]!.id;
    const after = assign(
      balancer,
      set.filter((s) => s.id !== removed),
    );
    for (const key of keys) {
      if (before.get(key) !== removed) expect(after.get(key)).toBe(before.get(key));
      else expect(after.get(key)).not.toBe(removed);
    }
  });

  it('an added endpoint takes keys only for itself', () => {
    const set = states(6);
    const balancer = new ConsistentHashBalancer();
    const before = assign(balancer, set.slice(0, 5));
    const after = assign(balancer, set);
    let moved = 0;
    for (const key of keys) {
      if (after.get(key) !== before.get(key)) {
        moved++;
        expect(after.get(key)).toBe(set[5]!.id);
      }
    }
    expect(moved).toBeGreaterThan(keys.length / 12);
    expect(moved).toBeLessThan(keys.length / 3);
  });

  it('round-robins picks without a key, and handles empty and single sets', () => {
    const set = states(3);
    const balancer = new ConsistentHashBalancer({ random: () => 0 });
    expect([0, 1, 2].map(() => balancer.pick(set)!.id)).toEqual(set.map((s) => s.id));
    expect(balancer.pick([], 'k')).toBeUndefined();
    expect(balancer.pick(set.slice(0, 1), 'k')).toBe(set[0]);
  });

  it('rejects a bad virtualNodes', () => {
    expect(() => new ConsistentHashBalancer({ virtualNodes: 0 })).toThrow(/virtualNodes/);
  });
});
