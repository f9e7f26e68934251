import { describe, expect, it } from 'vitest';
import {
  CallTimeoutError,
  CircuitOpenError,
  ClosedError,
  ErrorCode,
  ForbiddenError,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  KubeSmartError,
  KvObjectTakenError,
  NoHealthyEndpointsError,
  RetryBudgetExhaustedError,
  ServiceNotFoundError,
  UpstreamError,
} from './errors.js';

describe('errors', () => {
  it.each([
    [KubeAPIUnavailableError, ErrorCode.KUBE_API_UNAVAILABLE],
    [ServiceNotFoundError, ErrorCode.SERVICE_NOT_FOUND],
    [NoHealthyEndpointsError, ErrorCode.NO_HEALTHY_ENDPOINTS],
    [CircuitOpenError, ErrorCode.CIRCUIT_OPEN],
    [RetryBudgetExhaustedError, ErrorCode.RETRY_BUDGET_EXHAUSTED],
    [CallTimeoutError, ErrorCode.TIMEOUT],
    [ForbiddenError, ErrorCode.FORBIDDEN],
    [InvalidArgumentError, ErrorCode.INVALID_ARGUMENT],
    [ClosedError, ErrorCode.CLOSED],
    [UpstreamError, ErrorCode.UPSTREAM],
    [KvObjectTakenError, ErrorCode.KV_OBJECT_TAKEN],
  ])('%o carries its code and name and is a KubeSmartError', (ErrorClass, code) => {
    const cause = new Error('root');
    const error = new ErrorClass('what happened', { cause, details: { service: 'api' } });
    expect(error).toBeInstanceOf(KubeSmartError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(ErrorClass.name);
    expect(error.cause).toBe(cause);
    expect(error.details).toEqual({ service: 'api' });
    expect(error.toJSON()).toMatchObject({ name: ErrorClass.name, code, message: 'what happened' });
  });

  it('has no own cause property when none is given', () => {
    expect(Object.hasOwn(new KubeSmartError(ErrorCode.CLOSED, 'closed'), 'cause')).toBe(false);
  });

  it('UpstreamError keeps the status', () => {
    const error = new UpstreamError('bad gateway', { status: 502 });
    expect(error.status).toBe(502);
    expect(error.toJSON()).toMatchObject({ status: 502 });
  });

  it('ErrorCode values equal their keys', () => {
    for (const [key, value] of Object.entries(ErrorCode)) expect(value).toBe(key);
  });
});
