import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../test/fakeClock.js';
import { createEndpoint } from '../createEndpoint.js';
import { EndpointState } from './endpointState.js';
import { EndpointTimers } from './endpointTimers.js';

const state = (port: number): EndpointState => new EndpointState(createEndpoint({ host: '127.0.0.1', port }));

describe('EndpointTimers', async () => {
  it('keeps one timer per endpoint: starting again replaces the pending one', async () => {
    const clock = new FakeClock();
    const timers = new EndpointTimers(clock);
    const a = state(1);
    const fired: string[] = [];
    timers.start(a, 100, () => fired.push('first'));
    timers.start(a, 200, () => fired.push('second'));
    expect(timers.size).toBe(1);
    await clock.advance(150);
    expect(fired).toEqual([]);
    await clock.advance(100);
    expect(fired).toEqual(['second']);
    expect(timers.size).toBe(0);
  });

  it('cancels one endpoint without touching another, and starts nothing after close', async () => {
    const clock = new FakeClock();
    const timers = new EndpointTimers(clock);
    const [a, b] = [state(1), state(2)];
    const fired: number[] = [];
    timers.start(a, 100, () => fired.push(1));
    timers.start(b, 100, () => fired.push(2));
    timers.cancel(a);
    await clock.advance(100);
    expect(fired).toEqual([2]);
    timers.start(a, 100, () => fired.push(3));
    timers.close();
    timers.start(b, 10, () => fired.push(4));
    await clock.advance(1000);
    expect(fired).toEqual([2]);
    expect(timers.size).toBe(0);
    expect(clock.pending).toBe(0);
  });
});
