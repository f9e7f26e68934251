import type { KubeStatus, StatusCause, StatusReason } from './types.js';

/** Default HTTP code for each Status reason. */
export const STATUS_CODES: Readonly<Record<Exclude<StatusReason, ''>, number>> = Object.freeze({
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  Forbidden: 403,
  Unauthorized: 401,
  Expired: 410,
  Gone: 410,
  TooManyRequests: 429,
  BadRequest: 400,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  InternalError: 500,
  ServiceUnavailable: 503,
  Timeout: 504,
});

export interface ApiErrorDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/**
 * An error the emulated API server answers with: it carries the Kubernetes `Status` that goes on the
 * wire, so the same object reaches kubectl, client-node and in-process callers of `MockCluster`.
 */
export class KubeApiError extends Error {
  readonly code: number;
  readonly reason: Exclude<StatusReason, ''>;
  readonly details: ApiErrorDetails | undefined;

  constructor(reason: Exclude<StatusReason, ''>, message: string, details?: ApiErrorDetails, code?: number) {
    super(message);
    this.name = 'KubeApiError';
    this.reason = reason;
    this.code = code ?? STATUS_CODES[reason];
    this.details = details;
  }

  toStatus(): KubeStatus {
    const status: KubeStatus = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** `configmaps "x" not found`, as kube-apiserver phrases it. */
export function notFound(resource: string, name: string, group = ''): KubeApiError {
  return new KubeApiError('NotFound', `${resource}${group ? `.${group}` : ''} "${name}" not found`, {
    name,
    group,
    kind: resource,
  });
}

export function alreadyExists(resource: string, name: string, group = ''): KubeApiError {
  return new KubeApiError(
    'AlreadyExists',
    `${resource}${group ? `.${group}` : ''} "${name}" already exists`,
    {
      name,
      group,
      kind: resource,
    },
  );
}

export function conflict(resource: string, name: string, group = ''): KubeApiError {
  return new KubeApiError(
    'Conflict',
    `Operation cannot be fulfilled on ${resource}${group ? `.${group}` : ''} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name, group, kind: resource },
  );
}

/** 422 Invalid with one cause per failed field, like kube-apiserver's validation. */
export function invalid(kind: string, name: string, causes: StatusCause[], group = ''): KubeApiError {
  const list = causes.map((c) => `${c.field ? `${c.field}: ` : ''}${c.message}`).join(', ');
  return new KubeApiError('Invalid', `${kind} "${name}" is invalid: ${list}`, { name, group, kind, causes });
}

export function badRequest(message: string): KubeApiError {
  return new KubeApiError('BadRequest', message);
}

export function successStatus(details?: ApiErrorDetails): KubeStatus {
  const status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    message: '',
    reason: '',
    code: 200,
  } as KubeStatus;
  if (details) status.details = details;
  return status;
}
