import { describe, expect, it } from 'vitest';
import { CallTimeoutError, UpstreamError } from '../errors.js';
import { classifyFailure } from './classifyFailure.js';

const retryOn = [502, 503, 504];
const idem = { idempotent: true, retryOn };
const nonIdem = { idempotent: false, retryOn };
const withCode = (code: string): Error => Object.assign(new Error(code), { code });

describe('classifyFailure', () => {
  it('retries 502/503/504 for idempotent requests only, never 4xx', () => {
    for (const status of [502, 503, 504]) {
      expect(classifyFailure(new UpstreamError('x', { status }), idem)).toMatchObject({
        endpointFault: true,
        retryable: true,
        status,
      });
      expect(classifyFailure(new UpstreamError('x', { status }), nonIdem)).toMatchObject({
        endpointFault: true,
        retryable: false,
      });
    }
    expect(classifyFailure(new UpstreamError('x', { status: 500 }), idem)).toMatchObject({
      endpointFault: true,
      retryable: false,
    });
    for (const status of [400, 404, 409, 429]) {
      expect(classifyFailure(new UpstreamError('x', { status }), idem)).toMatchObject({
        endpointFault: false,
        retryable: false,
      });
    }
  });

  it('reads statuses from other clients errors', () => {
    expect(classifyFailure({ status: 503 }, idem).retryable).toBe(true);
    expect(classifyFailure({ statusCode: 504 }, idem).retryable).toBe(true);
    expect(classifyFailure({ response: { status: 502 } }, idem).retryable).toBe(true);
    expect(classifyFailure({ response: { status: 404 } }, idem).endpointFault).toBe(false);
  });

  it('retries never-sent connection errors even for non-idempotent requests', () => {
    for (const code of ['ECONNREFUSED', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT']) {
      expect(classifyFailure(withCode(code), nonIdem)).toMatchObject({
        endpointFault: true,
        notSent: true,
        retryable: true,
      });
    }
    const fetchError = new TypeError('fetch failed', { cause: withCode('ECONNREFUSED') });
    expect(classifyFailure(fetchError, nonIdem).retryable).toBe(true);
  });

  it('retries maybe-sent connection errors and timeouts only when idempotent', () => {
    for (const error of [withCode('ECONNRESET'), withCode('UND_ERR_SOCKET'), new CallTimeoutError('t')]) {
      expect(classifyFailure(error, idem)).toMatchObject({
        endpointFault: true,
        notSent: false,
        retryable: true,
      });
      expect(classifyFailure(error, nonIdem)).toMatchObject({ endpointFault: true, retryable: false });
    }
    const domTimeout = new DOMException('timed out', 'TimeoutError');
    expect(classifyFailure(domTimeout, idem).retryable).toBe(true);
  });

  it('leaves unknown errors to the caller', () => {
    for (const error of [new Error('bad json'), 'a string', undefined, withCode('ERR_INVALID_ARG_TYPE')]) {
      expect(classifyFailure(error, idem)).toEqual({
        endpointFault: false,
        notSent: false,
        retryable: false,
        status: undefined,
      });
    }
  });
});
