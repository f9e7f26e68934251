import { describe, expect, it } from 'vitest';
import { endpoints } from '../../test/endpoints.js';
import { EndpointSet } from '../endpoints/endpointSet.js';
import { ConsistentHashBalancer } from './consistentHash.js';
import { createPicker } from './endpointPicker.js';
import { RoundRobinBalancer } from './roundRobin.js';

describe('createPicker', () => {
  it('picks among the set candidates through the balancer', () => {
    const set = new EndpointSet();
    set.update(endpoints(3));
    set.all[1]!.setEjectedUntil(1);
    const picker = createPicker(set, new RoundRobinBalancer());
    const ids = new Set(Array.from({ length: 10 }, () => picker.pick()!.id));
    expect(ids).toEqual(new Set([set.all[0]!.id, set.all[2]!.id]));
  });

  it('never returns an excluded endpoint, even when the balancer insists', () => {
    const set = new EndpointSet();
    set.update(endpoints(4));
    const picker = createPicker(set, new ConsistentHashBalancer());
    const first = picker.pick('session-1')!;
    expect(picker.pick('session-1')).toBe(first);
    const exclude = new Set([first]);
    const second = picker.pick('session-1', exclude)!;
    expect(second).not.toBe(first);
    exclude.add(second);
    const third = picker.pick('session-1', exclude)!;
    expect(exclude.has(third)).toBe(false);
    expect(picker.pick('session-1', new Set(set.all))).toBeUndefined();
  });

  it('returns undefined when there is no candidate', () => {
    expect(createPicker(new EndpointSet(), new RoundRobinBalancer()).pick()).toBeUndefined();
  });
});
