import { describe, expect, it } from 'vitest';
import { errorBody, errorCodesOf, HTTP_STATUS_BY_CODE, httpStatusOf } from './errorResponse.js';
import { CallTimeoutError, ErrorCode, NoHealthyEndpointsError, UpstreamError } from './errors.js';

describe('errors over HTTP', () => {
  it('gives every error code one status', () => {
    expect(Object.keys(HTTP_STATUS_BY_CODE).sort()).toEqual(Object.values(ErrorCode).sort());
    expect(httpStatusOf(ErrorCode.NO_HEALTHY_ENDPOINTS)).toBe(503);
    expect(httpStatusOf(ErrorCode.TIMEOUT)).toBe(504);
    expect(httpStatusOf(ErrorCode.KV_VALUE_TOO_LARGE)).toBe(413);
    expect(httpStatusOf('SOMETHING_ELSE')).toBe(500);
  });

  it('builds one body shape with the reason phrase', () => {
    expect(errorBody(503, ErrorCode.CIRCUIT_OPEN, 'every breaker is open')).toEqual({
      error: 'Service Unavailable',
      code: 'CIRCUIT_OPEN',
      message: 'every breaker is open',
    });
    expect(errorBody(599, 'X', 'odd').error).toBe('Error');
  });

  it('reads the codes of an error and its causes, abort timeouts included', () => {
    const timeout = new DOMException('The operation timed out', 'TimeoutError');
    const upstream = new UpstreamError('failed', {
      cause: new CallTimeoutError('slow', { cause: new NoHealthyEndpointsError('none', { cause: timeout }) }),
    });
    expect(errorCodesOf(upstream)).toEqual(['UPSTREAM', 'TIMEOUT', 'NO_HEALTHY_ENDPOINTS', 'TIMEOUT']);
    expect(errorCodesOf(new Error('plain'))).toEqual([]);
    expect(errorCodesOf('a string')).toEqual([]);
  });
});
