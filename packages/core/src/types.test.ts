import { describe, expect, it } from 'vitest';
import { systemClock } from './clock.js';
import { createEndpoint } from './createEndpoint.js';
import { noopLogger } from './logger.js';

describe('createEndpoint', () => {
  it('derives id and url', () => {
    const endpoint = createEndpoint({ host: '10.1.2.3', port: 8080, pod: 'api-0', zone: 'a' });
    expect(endpoint).toEqual({
      id: '10.1.2.3:8080',
      host: '10.1.2.3',
      port: 8080,
      url: 'http://10.1.2.3:8080',
      pod: 'api-0',
      zone: 'a',
    });
    expect(Object.isFrozen(endpoint)).toBe(true);
    expect('node' in endpoint).toBe(false);
  });

  it('brackets IPv6 hosts', () => {
    const endpoint = createEndpoint({ host: 'fd00::1', port: 80 });
    expect(endpoint.id).toBe('[fd00::1]:80');
    expect(endpoint.url).toBe('http://[fd00::1]:80');
    expect(endpoint.host).toBe('fd00::1');
  });
});

describe('systemClock and noopLogger', () => {
  it('clock is monotonic and clears timers', async () => {
    const a = systemClock.now();
    let fired = false;
    const handle = systemClock.setTimeout(() => {
      fired = true;
    }, 1);
    systemClock.clearTimeout(handle);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fired).toBe(false);
    expect(systemClock.now()).toBeGreaterThanOrEqual(a);
  });

  it('noopLogger accepts pino-style calls and children', () => {
    noopLogger.info({ a: 1 }, 'msg');
    noopLogger.error('msg');
    expect(noopLogger.child?.({ x: 1 })).toBe(noopLogger);
  });
});
