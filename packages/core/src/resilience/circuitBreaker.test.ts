import { describe, expect, it } from 'vitest';
import { endpoints, states } from '../../test/endpoints.js';
import { FakeClock } from '../../test/fakeClock.js';
import { EndpointSet } from '../endpoints/endpointSet.js';
import { type BreakerEvent, CircuitBreaker } from './circuitBreaker.js';

function setup(options: ConstructorParameters<typeof CircuitBreaker>[0] = {}) {
  const clock = new FakeClock();
  const breaker = new CircuitBreaker({ clock, ...options });
  const events: BreakerEvent[] = [];
  breaker.on('breaker', (e) => events.push(e));
  return { clock, breaker, events };
}

describe('CircuitBreaker', () => {
  it('opens after 3 consecutive failures for 30 s (as the mesh simulation)', async () => {
    const { clock, breaker, events } = setup();
    const [state] = states(1);
    for (let i = 0; i < 2; i++) breaker.onFailure(state!);
    breaker.onSuccess(state!);
    for (let i = 0; i < 2; i++) breaker.onFailure(state!);
    expect(state!.circuit).toBe('closed');
    breaker.onFailure(state!);
    expect(state!.circuit).toBe('open');
    expect(breaker.tryAcquire(state!)).toBe(false);
    await clock.advance(29_999);
    expect(state!.circuit).toBe('open');
    await clock.advance(1);
    expect(state!.circuit).toBe('half-open');
    expect(events.map((e) => e.state)).toEqual(['open', 'half-open']);
  });

  it('half-open lets a limited number of probes through; their successes close it', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, openMs: 100, halfOpenProbes: 2 });
    const [state] = states(1);
    breaker.onFailure(state!);
    await clock.advance(100);
    expect(breaker.tryAcquire(state!)).toBe(true);
    expect(breaker.tryAcquire(state!)).toBe(true);
    expect(breaker.tryAcquire(state!)).toBe(false);
    breaker.onSuccess(state!);
    expect(state!.circuit).toBe('half-open');
    breaker.release(state!);
    expect(breaker.tryAcquire(state!)).toBe(true);
    breaker.onSuccess(state!);
    expect(state!.circuit).toBe('closed');
    expect(clock.pending).toBe(0);
  });

  it('a failed probe opens the circuit again', async () => {
    const { clock, breaker, events } = setup({ failureThreshold: 1, openMs: 100 });
    const [state] = states(1);
    breaker.onFailure(state!);
    await clock.advance(100);
    expect(breaker.tryAcquire(state!)).toBe(true);
    breaker.onFailure(state!);
    expect(state!.circuit).toBe('open');
    await clock.advance(100);
    expect(events.map((e) => e.state)).toEqual(['open', 'half-open', 'open', 'half-open']);
  });

  it('turns half-open lazily in tryAcquire if the timer has not fired', async () => {
    const clock = new FakeClock();
    const breaker = new CircuitBreaker({
      clock: clockWithoutTimers(clock),
      failureThreshold: 1,
      openMs: 100,
    });
    const [state] = states(1);
    breaker.onFailure(state!);
    expect(breaker.tryAcquire(state!)).toBe(false);
    await clock.advance(100);
    expect(breaker.tryAcquire(state!)).toBe(true);
    expect(state!.circuit).toBe('half-open');
  });

  it('an open endpoint leaves the set candidates and comes back half-open', async () => {
    const { clock, breaker } = setup({ failureThreshold: 1, openMs: 100 });
    const set = new EndpointSet();
    set.update(endpoints(3));
    breaker.onFailure(set.all[0]!);
    expect(set.candidates).toHaveLength(2);
    await clock.advance(100);
    expect(set.candidates).toHaveLength(3);
  });

  it('reset, remove and close clear state and timers', () => {
    const { clock, breaker } = setup({ failureThreshold: 1 });
    const [a, b] = states(2);
    breaker.onFailure(a!);
    breaker.onFailure(b!);
    breaker.reset(a!);
    expect(a!.circuit).toBe('closed');
    expect(clock.pending).toBe(1);
    breaker.remove(b!);
    expect(clock.pending).toBe(0);
    breaker.onFailure(a!);
    breaker.close();
    expect(clock.pending).toBe(0);
  });
});

/** A clock whose timers never fire, to exercise the lazy path. */
function clockWithoutTimers(clock: FakeClock) {
  return { now: () => clock.now(), setTimeout: () => 0, clearTimeout: () => {} };
}
