import { describe, expect, it } from 'vitest';
import { RoundRobinBalancer } from '../balancing/roundRobin.js';
import { optionsKey } from '../instance/optionsKey.js';
import { resolveServiceOptions, SMART_SERVICE_DEFAULTS } from './smartServiceOptions.js';

describe('resolveServiceOptions', () => {
  it('starts from kubeSmartService-like defaults', () => {
    const o = resolveServiceOptions('shop', undefined, undefined);
    expect(o).toMatchObject({
      namespace: 'shop',
      source: 'endpointslices',
      balancer: 'least-request',
      zoneAware: false,
      health: { type: 'tcp' },
      retry: { retries: 2, timeoutMs: 10_000, retryOn: [502, 503, 504] },
      panicThresholdPercent: 50,
      readyTimeoutMs: 30_000,
    });
    expect(Object.isFrozen(o)).toBe(true);
    expect(Object.isFrozen(SMART_SERVICE_DEFAULTS.retry)).toBe(true);
  });

  it('merges KubeSmart defaults then service options, nested objects shallowly, false replacing', () => {
    const o = resolveServiceOptions(
      'default',
      { retry: { retries: 5, timeoutMs: 100 }, health: { intervalMs: 100 }, namespace: 'team' },
      { retry: { timeoutMs: 200 }, health: false, zoneAware: true },
    );
    expect(o.namespace).toBe('team');
    expect(o.retry).toMatchObject({ retries: 5, timeoutMs: 200, backoffBaseMs: 25 });
    expect(o.health).toBe(false);
    expect(o.zoneAware).toEqual({});
  });

  it('keeps a custom balancer as is', () => {
    const balancer = new RoundRobinBalancer();
    expect(resolveServiceOptions('default', undefined, { balancer }).balancer).toBe(balancer);
  });
});

describe('optionsKey', () => {
  it('is equal for equal options in any key order, and tells instances apart by identity', () => {
    expect(optionsKey({ port: 'http', retry: { retries: 1, timeoutMs: 5 } })).toBe(
      optionsKey({ retry: { timeoutMs: 5, retries: 1 }, port: 'http', labelSelector: undefined }),
    );
    expect(optionsKey(undefined)).toBe(optionsKey({}));
    const balancer = new RoundRobinBalancer();
    expect(optionsKey({ balancer })).toBe(optionsKey({ balancer }));
    expect(optionsKey({ balancer })).not.toBe(optionsKey({ balancer: new RoundRobinBalancer() }));
    expect(optionsKey({ port: 80 })).not.toBe(optionsKey({ port: '80' }));
  });
});
