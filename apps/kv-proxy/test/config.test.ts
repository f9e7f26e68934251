import { TokenBuckets as RateLimiter } from '@kubesmart/access';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('has safe defaults: API keys, the pod namespace only, the seed port', () => {
    const config = loadConfig({ POD_NAMESPACE: 'apps' });
    expect(config).toMatchObject({
      port: 5001,
      authMode: 'apikey',
      namespaces: ['apps'],
      buckets: ['*'],
      apiKeysSecret: 'kv-proxy-api-keys',
      mock: false,
    });
  });

  it('reads lists, --mock and KV_PROXY_MOCK', () => {
    expect(loadConfig({ KV_NAMESPACES: 'a, b', KV_BUCKETS: 'x' })).toMatchObject({
      namespaces: ['a', 'b'],
      buckets: ['x'],
    });
    expect(loadConfig({}, ['--mock']).mock).toBe(true);
    expect(loadConfig({ KV_PROXY_MOCK: '1' }).mock).toBe(true);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ AUTH_MODE: 'open' })).toThrow(ConfigError);
    expect(() => loadConfig({ AUTH_MODE: 'open' })).toThrow(/AUTH_MODE/);
    expect(() => loadConfig({ PORT: 'http' })).toThrow(/PORT/);
    expect(() => loadConfig({ TLS_CERT_FILE: '/c.pem' })).toThrow(/TLS_KEY_FILE/);
  });
});

describe('RateLimiter', () => {
  it('allows a burst, then the rate, per caller', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 2, 10, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 1]);
    expect(limiter.take('b')).toBe(0);
    now = 500;
    expect(limiter.take('a')).toBe(0);
  });
});

describe('loadConfig limits and scopes', () => {
  it('watches each named bucket alone, and the namespace when any bucket is served', () => {
    expect(loadConfig({ KV_BUCKETS: 'a,b' }).cacheScope).toBe('bucket');
    expect(loadConfig({}).cacheScope).toBe('namespace');
    expect(loadConfig({ KV_BUCKETS: 'a', KV_CACHE_SCOPE: 'namespace' }).cacheScope).toBe('namespace');
    expect(() => loadConfig({ KV_CACHE_SCOPE: 'bucket' })).toThrow(
      /KV_CACHE_SCOPE=bucket needs the buckets named/,
    );
    expect(() => loadConfig({ KV_CACHE_SCOPE: 'cluster' })).toThrow(/KV_CACHE_SCOPE/);
  });

  it('reads the limits and refuses a short metrics token', () => {
    expect(loadConfig({ SSE_MAX_STREAMS_PER_CALLER: '3', MAX_OPEN_BUCKETS: '9' })).toMatchObject({
      sseMaxStreamsPerCaller: 3,
      maxOpenBuckets: 9,
      sseMaxStreams: 1000,
      sseMaxStreamsPerKey: 64,
      metricsMaxBuckets: 50,
      staleAfterMs: 65_000,
      docsPublic: false,
    });
    expect(() => loadConfig({ SSE_MAX_STREAMS: '0' })).toThrow(/SSE_MAX_STREAMS/);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  });
});
