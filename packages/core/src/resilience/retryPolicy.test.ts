import { describe, expect, it } from 'vitest';
import { SMART_SERVICE_DEFAULTS } from '../service/smartServiceOptions.js';
import { FAILOVER_DEFAULTS } from './failoverOptions.js';
import { RETRY_DEFAULTS } from './retryPolicy.js';

describe('RETRY_DEFAULTS', () => {
  it('is the one source of the retry defaults of services and of Failover', () => {
    expect(RETRY_DEFAULTS).toEqual({
      retries: 2,
      timeoutMs: 10_000,
      backoffBaseMs: 25,
      backoffMaxMs: 250,
      retryOn: [502, 503, 504],
    });
    expect(Object.isFrozen(RETRY_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(RETRY_DEFAULTS.retryOn)).toBe(true);
    expect(SMART_SERVICE_DEFAULTS.retry).toBe(RETRY_DEFAULTS);
    for (const [key, value] of Object.entries(RETRY_DEFAULTS)) {
      expect(FAILOVER_DEFAULTS[key as keyof typeof RETRY_DEFAULTS], key).toBe(value);
    }
  });
});
