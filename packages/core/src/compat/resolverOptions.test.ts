import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { fallbackFrom, mockModeFromEnv, offlineFromEnv, serviceOptionsFrom } from './resolverOptions.js';

describe('seed options', () => {
  it('reads offline mode from KUBESMART_OFFLINE, with the older names as aliases', () => {
    expect(offlineFromEnv({ KUBESMART_OFFLINE: '1' })).toBe(true);
    expect(offlineFromEnv({ KUBESMART_OFFLINE: 'off' })).toBe(false);
    expect(offlineFromEnv({ KUBESMART_MOCK: 'yes' })).toBe(true);
    expect(mockModeFromEnv).toBe(offlineFromEnv);
  });

  it('reads mock mode from KUBESMART_MOCK or KUBESMARTSERVICE_MOCK', () => {
    expect(mockModeFromEnv({})).toBe(false);
    expect(mockModeFromEnv({ KUBESMART_MOCK: '1' })).toBe(true);
    expect(mockModeFromEnv({ KUBESMARTSERVICE_MOCK: 'True' })).toBe(true);
    expect(mockModeFromEnv({ KUBESMART_MOCK: '0', KUBESMARTSERVICE_MOCK: 'no' })).toBe(false);
  });

  it('takes the fallback from options first, then KUBE_FALLBACK_HOST/PORT', () => {
    expect(fallbackFrom({}, {})).toBeUndefined();
    expect(fallbackFrom({}, { KUBE_FALLBACK_HOST: 'a', KUBE_FALLBACK_PORT: '81' })).toEqual({
      host: 'a',
      port: 81,
    });
    expect(fallbackFrom({ fallbackPort: 90 }, { KUBE_FALLBACK_HOST: 'a', KUBE_FALLBACK_PORT: '81' })).toEqual(
      {
        host: 'a',
        port: 90,
      },
    );
    expect(() => fallbackFrom({ fallbackHost: 'a' }, {})).toThrow(InvalidArgumentError);
    expect(() => fallbackFrom({}, { KUBE_FALLBACK_HOST: 'a', KUBE_FALLBACK_PORT: '70000' })).toThrow(
      /1 to 65535/,
    );
  });

  it('maps the seed parameters (seconds) to service options (ms)', () => {
    expect(
      serviceOptionsFrom({ healthTimeout: 1.5, retries: 3, backoffBase: 0.2, labelSelector: 'tier=web' }, {}),
    ).toEqual({
      health: { timeoutMs: 1500, initialRetries: 3, backoffBaseMs: 200 },
      retry: { retries: 3 },
      source: 'pods',
      labelSelector: 'tier=web',
    });
    expect(serviceOptionsFrom({}, {})).toEqual({});
  });
});
