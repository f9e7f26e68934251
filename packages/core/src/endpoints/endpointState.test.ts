import { describe, expect, it, vi } from 'vitest';
import { createEndpoint } from '../createEndpoint.js';
import { EndpointState } from './endpointState.js';

const endpoint = createEndpoint({ host: '10.0.0.1', port: 80 });

describe('EndpointState', () => {
  it('counts requests in flight, totals and consecutive failures', () => {
    const state = new EndpointState(endpoint);
    state.beginRequest();
    state.beginRequest();
    expect(state.inflight).toBe(2);
    state.endRequest(5, false, 0);
    state.endRequest(5, false, 0);
    expect(state).toMatchObject({ inflight: 0, requests: 2, failures: 2, consecutiveFailures: 2 });
    state.beginRequest();
    state.endRequest(5, true, 0);
    expect(state.consecutiveFailures).toBe(0);
    state.beginRequest();
    state.abandonRequest();
    expect(state).toMatchObject({ inflight: 0, requests: 3 });
  });

  it('peak-EWMA: starts at the initial latency, jumps to peaks, decays with time', () => {
    const state = new EndpointState(endpoint, { latencyDecayMs: 1000, initialLatencyMs: 7 });
    expect(state.latencyEstimate(0)).toBe(7);
    state.endRequest(10, true, 0);
    expect(state.latencyEstimate(0)).toBe(10);
    state.endRequest(100, true, 1);
    expect(state.latencyEstimate(1)).toBe(100);
    expect(state.latencyEstimate(1001)).toBeCloseTo(100 / Math.E, 6);
    // a low sample right after barely moves the estimate; after a long gap it dominates
    state.endRequest(10, true, 2);
    expect(state.latencyEstimate(2)).toBeGreaterThan(99);
    state.endRequest(10, true, 10_000);
    expect(state.latencyEstimate(10_000)).toBeLessThan(11);
  });

  it('a fast failure does not lower the latency estimate', () => {
    const state = new EndpointState(endpoint, { latencyDecayMs: 1000 });
    state.endRequest(50, true, 0);
    state.endRequest(1, false, 500);
    expect(state.latencyEstimate(500)).toBeCloseTo(50 * Math.exp(-0.5), 6);
  });

  it('availability combines health, ejection and circuit, and reports changes once', () => {
    const onChange = vi.fn();
    const state = new EndpointState(endpoint, undefined, onChange);
    expect(state.available).toBe(true);
    state.setHealth('healthy');
    expect(onChange).not.toHaveBeenCalled();
    state.setHealth('unhealthy');
    expect(state.available).toBe(false);
    state.setEjectedUntil(1000);
    expect(onChange).toHaveBeenCalledTimes(1);
    state.setHealth('healthy');
    expect(state.available).toBe(false);
    state.setEjectedUntil(undefined);
    state.setCircuit('half-open');
    expect(state.available).toBe(true);
    state.setCircuit('open');
    expect(onChange).toHaveBeenCalledTimes(3);
    expect(state.snapshot(0)).toMatchObject({
      available: false,
      health: 'healthy',
      circuit: 'open',
      ejected: false,
    });
  });
});
