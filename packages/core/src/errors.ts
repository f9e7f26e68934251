/**
 * The one error model of @kubesmart/core: every error thrown is a {@link KubeSmartError} with a
 * `code` from {@link ErrorCode}, a standard `cause`, and optional structured `details`. Subclasses
 * exist for `instanceof`. Messages say what happened, to what, and what to do.
 */

export const ErrorCode = {
  KUBE_API_UNAVAILABLE: 'KUBE_API_UNAVAILABLE',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  EXPIRED: 'EXPIRED',
  SERVICE_NOT_FOUND: 'SERVICE_NOT_FOUND',
  NO_HEALTHY_ENDPOINTS: 'NO_HEALTHY_ENDPOINTS',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  RETRY_BUDGET_EXHAUSTED: 'RETRY_BUDGET_EXHAUSTED',
  TIMEOUT: 'TIMEOUT',
  FORBIDDEN: 'FORBIDDEN',
  INVALID_ARGUMENT: 'INVALID_ARGUMENT',
  CLOSED: 'CLOSED',
  UPSTREAM: 'UPSTREAM',
  KV_CONFLICT: 'KV_CONFLICT',
  KV_KEY_INVALID: 'KV_KEY_INVALID',
  KV_VALUE_TOO_LARGE: 'KV_VALUE_TOO_LARGE',
  KV_OBJECT_TAKEN: 'KV_OBJECT_TAKEN',
  QUERY_NOT_FOUND: 'QUERY_NOT_FOUND',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface KubeSmartErrorOptions {
  /** The error that led to this one. */
  cause?: unknown;
  /** Structured facts for logs and programs (service, endpoint ids, attempts, ...). */
  details?: Record<string, unknown>;
}

export class KubeSmartError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: KubeSmartErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KubeSmartError';
    this.code = code;
    this.details = options?.details;
  }

  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, details: this.details };
  }
}

/** The Kubernetes API cannot be reached or its configuration cannot be loaded. */
export class KubeAPIUnavailableError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.KUBE_API_UNAVAILABLE, message, options);
    this.name = 'KubeAPIUnavailableError';
  }
}

/** A Kubernetes object asked for by name does not exist, or the server does not serve its API (404). */
export class KubeObjectNotFoundError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.NOT_FOUND, message, options);
    this.name = 'KubeObjectNotFoundError';
  }
}

/** A write lost a race: the object changed since it was read (409 Conflict) or already exists (409 AlreadyExists). */
export class ConflictError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.CONFLICT, message, options);
    this.name = 'ConflictError';
  }
}

/** A resourceVersion is older than the server keeps (410 Expired): list again. */
export class ExpiredError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.EXPIRED, message, options);
    this.name = 'ExpiredError';
  }
}

/** The Service does not exist in the namespace asked for. */
export class ServiceNotFoundError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.SERVICE_NOT_FOUND, message, options);
    this.name = 'ServiceNotFoundError';
  }
}

/** No endpoint of a service can take a request now. */
export class NoHealthyEndpointsError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.NO_HEALTHY_ENDPOINTS, message, options);
    this.name = 'NoHealthyEndpointsError';
  }
}

/** Every endpoint that could take a request has its circuit breaker open. */
export class CircuitOpenError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.CIRCUIT_OPEN, message, options);
    this.name = 'CircuitOpenError';
  }
}

/** A retry was needed but the retry budget does not allow more retries now. */
export class RetryBudgetExhaustedError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.RETRY_BUDGET_EXHAUSTED, message, options);
    this.name = 'RetryBudgetExhaustedError';
  }
}

/** An operation did not finish in time. Named so to avoid the DOM's `TimeoutError`. */
export class CallTimeoutError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.TIMEOUT, message, options);
    this.name = 'CallTimeoutError';
  }
}

/** The Kubernetes API refused an operation for lack of permission. */
export class ForbiddenError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.FORBIDDEN, message, options);
    this.name = 'ForbiddenError';
  }
}

/** An argument or option has a value core cannot use. */
export class InvalidArgumentError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.INVALID_ARGUMENT, message, options);
    this.name = 'InvalidArgumentError';
  }
}

/** The object was closed and cannot be used any more. */
export class ClosedError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.CLOSED, message, options);
    this.name = 'ClosedError';
  }
}

export interface UpstreamErrorOptions extends KubeSmartErrorOptions {
  /** HTTP status of the upstream response, when there was one. */
  status?: number;
}

/** A request to an endpoint failed: an error status, a broken connection or a timeout (see `cause`). */
export class UpstreamError extends KubeSmartError {
  readonly status: number | undefined;

  constructor(message: string, options?: UpstreamErrorOptions) {
    super(ErrorCode.UPSTREAM, message, options);
    this.name = 'UpstreamError';
    this.status = options?.status;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), status: this.status };
  }
}

/** A query that had to find something (`first()`) matched nothing; the message says what was searched. */
export class QueryNotFoundError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.QUERY_NOT_FOUND, message, options);
    this.name = 'QueryNotFoundError';
  }
}

/**
 * A key-value write lost a race: the entry's version is not the `ifVersion` asked for, or `update()`
 * kept conflicting with other writers until its attempts ran out. Read again and retry.
 */
export class KvConflictError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.KV_CONFLICT, message, options);
    this.name = 'KvConflictError';
  }
}

/** A key-value key does not follow the ConfigMap key grammar (`[-._a-zA-Z0-9]+`, at most 253 characters). */
export class KvKeyInvalidError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.KV_KEY_INVALID, message, options);
    this.name = 'KvKeyInvalidError';
  }
}

/** A key-value entry does not fit the room it must go in (one object holds at most 1 MiB); nothing was written. */
export class KvValueTooLargeError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.KV_VALUE_TOO_LARGE, message, options);
    this.name = 'KvValueTooLargeError';
  }
}

/**
 * A key-value bucket needs an object name (its own name, or the name of its next overflow object)
 * that an object it does not own already holds: another bucket's object or a ConfigMap made by hand.
 * Nothing was written; rename or delete that object, or use another bucket name.
 */
export class KvObjectTakenError extends KubeSmartError {
  constructor(message: string, options?: KubeSmartErrorOptions) {
    super(ErrorCode.KV_OBJECT_TAKEN, message, options);
    this.name = 'KvObjectTakenError';
  }
}
