import { describe, expect, it } from 'vitest';
import { ExpiredError, ForbiddenError, InvalidArgumentError, KubeAPIUnavailableError } from '../errors.js';
import {
  errorFromResponse,
  isUnreachable,
  parseRetryAfter,
  retryAfterOf,
  statusOf,
  unreachableError,
} from './kubeErrors.js';
import { requestAttributes } from './requestAttributes.js';

const ctx = (method: string, path: string, query = '') => ({
  server: 'https://127.0.0.1:6443',
  method,
  path,
  query: new URLSearchParams(query),
});
const status = (code: number, reason: string, message = 'm') =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

describe('requestAttributes', () => {
  it('reads verb, group, resource, namespace and name like kube-apiserver', () => {
    expect(requestAttributes('GET', '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices')).toEqual({
      verb: 'list',
      group: 'discovery.k8s.io',
      resource: 'endpointslices',
      namespace: 'shop',
    });
    expect(
      requestAttributes('GET', '/api/v1/namespaces/shop/pods', new URLSearchParams('watch=true'))?.verb,
    ).toBe('watch');
    expect(requestAttributes('GET', '/api/v1/namespaces/shop/pods/p1/log')).toMatchObject({
      verb: 'get',
      name: 'p1',
      subresource: 'log',
    });
    expect(requestAttributes('DELETE', '/api/v1/namespaces/shop/configmaps')?.verb).toBe('deletecollection');
    expect(requestAttributes('GET', '/version')).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it('maps each status to one error class with status, reason and Retry-After in details', () => {
    const path = '/api/v1/namespaces/shop/services';
    const throttled = errorFromResponse(429, status(429, 'TooManyRequests'), ctx('GET', path), '3');
    expect(throttled).toBeInstanceOf(KubeAPIUnavailableError);
    expect(retryAfterOf(throttled)).toBe(3);
    expect(errorFromResponse(500, status(500, 'InternalError'), ctx('GET', path))).toBeInstanceOf(
      KubeAPIUnavailableError,
    );
    expect(errorFromResponse(401, status(401, 'Unauthorized'), ctx('GET', path))).toBeInstanceOf(
      ForbiddenError,
    );
    expect(errorFromResponse(422, status(422, 'Invalid'), ctx('POST', path))).toBeInstanceOf(
      InvalidArgumentError,
    );
    const expired = errorFromResponse(410, status(410, 'Expired'), ctx('GET', path, 'watch=true'));
    expect(expired).toBeInstanceOf(ExpiredError);
    expect(statusOf(expired)).toBe(410);
    const html = errorFromResponse(502, '<html>bad gateway</html>', ctx('GET', path));
    expect(html.message).toContain('bad gateway');
    expect(html.details).toMatchObject({
      status: 502,
      verb: 'list',
      resource: 'services',
      namespace: 'shop',
    });
  });

  it('tells unanswered requests apart', () => {
    const error = unreachableError(
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      ctx('GET', '/api/v1/pods'),
    );
    expect(isUnreachable(error)).toBe(true);
    expect(error.details).toMatchObject({ errno: 'ECONNREFUSED', server: 'https://127.0.0.1:6443' });
    expect(isUnreachable(errorFromResponse(503, '', ctx('GET', '/api/v1/pods')))).toBe(false);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 0)).toBe(10);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
