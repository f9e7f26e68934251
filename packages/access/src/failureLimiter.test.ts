import { describe, expect, it } from 'vitest';
import { FailureLimiter } from './failureLimiter.js';
import { formatScopes, parseScopes, refusedScope } from './scopes.js';

describe('FailureLimiter', () => {
  it('refuses a source after its failures and forgives them at a steady rate', () => {
    let now = 0;
    const limiter = new FailureLimiter({ maxFailures: 3, windowMs: 3000, now: () => now });
    for (let i = 0; i < 3; i += 1) {
      expect(limiter.retryAfterSeconds('1.2.3.4')).toBe(0);
      limiter.fail('1.2.3.4');
    }
    expect(limiter.retryAfterSeconds('1.2.3.4')).toBe(1);
    expect(limiter.retryAfterSeconds('5.6.7.8')).toBe(0);
    now = 1000;
    expect(limiter.retryAfterSeconds('1.2.3.4')).toBe(0);
  });
});

describe('scopes', () => {
  it('parses, formats and checks scopes', () => {
    const scopes = parseScopes('clusters=prod,stage; operations=namespaces');
    expect(scopes).toEqual({ clusters: ['prod', 'stage'], operations: ['namespaces'] });
    expect(formatScopes(scopes)).toBe('clusters=prod,stage; operations=namespaces');
    expect(formatScopes({})).toBe('*');
    expect(refusedScope(scopes, { cluster: 'prod', operation: 'namespaces', agent: 'x' })).toBeUndefined();
    expect(refusedScope(scopes, { cluster: 'dev', operation: 'namespaces' })).toBe('clusters');
    expect(refusedScope(scopes, { cluster: 'prod', operation: 'logs' })).toBe('operations');
    expect(refusedScope({ agents: [] }, { agent: 'a' })).toBe('agents');
    expect(() => parseScopes('teams=a')).toThrow(/scope "teams=a"/);
  });
});
