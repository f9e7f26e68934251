import {
  ConflictError,
  ExpiredError,
  ForbiddenError,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  KubeObjectNotFoundError,
  KubeSmartError,
} from '../errors.js';
import {
  describeAttributes,
  type RequestAttributes,
  requestAttributes,
  ruleFor,
} from './requestAttributes.js';

/** Where a failed request went: used to word the error. */
export interface RequestContext {
  readonly server: string;
  readonly method: string;
  readonly path: string;
  readonly query?: URLSearchParams | undefined;
}

/** The parts of a Kubernetes `Status` body that errors carry. */
interface StatusBody {
  message?: string;
  reason?: string;
  code?: number;
  details?: { retryAfterSeconds?: number };
}

const REACH_HINT =
  'check KUBECONFIG (or the in-cluster service account) and that the API server is reachable';

function parseStatus(body: string): StatusBody {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (parsed && typeof parsed === 'object') return parsed as StatusBody;
  } catch {
    // Not JSON: a proxy's HTML page or plain text; the text itself becomes the message.
  }
  return { message: body.trim().slice(0, 300) };
}

/** Seconds from a `Retry-After` header: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | undefined, nowMs = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - nowMs) / 1000));
}

function what(ctx: RequestContext): { attrs: RequestAttributes | undefined; text: string } {
  const attrs = requestAttributes(ctx.method, ctx.path, ctx.query);
  return { attrs, text: attrs ? describeAttributes(attrs) : `${ctx.method} ${ctx.path}` };
}

/**
 * Maps a Kubernetes error (an HTTP status with a `Status` body, or a watch ERROR event) to the core
 * error model: 401/403 {@link ForbiddenError}, 404 {@link KubeObjectNotFoundError}, 429 and 5xx
 * {@link KubeAPIUnavailableError}, 400/422 {@link InvalidArgumentError}, 410 {@link ExpiredError},
 * others (409) {@link ConflictError}. `details` holds `status`, `reason`, `retryAfterSeconds` and the request.
 */
export function errorFromStatus(
  httpStatus: number,
  status: StatusBody,
  ctx: RequestContext,
  retryAfterHeader?: number,
): KubeSmartError {
  const code = status.code && status.code >= 400 ? status.code : httpStatus;
  const reason = status.reason ?? '';
  const retryAfterSeconds = retryAfterHeader ?? status.details?.retryAfterSeconds;
  const { attrs, text } = what(ctx);
  const serverSays = status.message ? `: ${status.message}` : '';
  const details = { status: code, reason, retryAfterSeconds, server: ctx.server, ...attrs };
  const head = `the Kubernetes API at ${ctx.server} answered ${code}${reason ? ` ${reason}` : ''} to ${text}${serverSays}`;
  if (code === 403 || code === 401) {
    const fix =
      code === 401
        ? 'The credentials were not accepted: check the user and token of the current KUBECONFIG context, or the service account token.'
        : attrs
          ? `Add the rule ${ruleFor(attrs)} to a Role bound to this identity (see rbac/role.yaml in @kubesmart/core), then check with \`kubectl auth can-i ${attrs.verb} ${attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource}${attrs.namespace ? ` -n ${attrs.namespace}` : ' -A'}\`.`
          : 'Grant this identity access to the path with a ClusterRole.';
    return new ForbiddenError(`${head}. ${fix}`, { details });
  }
  if (code === 404) {
    const hint = attrs?.name
      ? `Check the name and namespace (kubectl get ${attrs.resource}${attrs.namespace ? ` -n ${attrs.namespace}` : ''}).`
      : 'Check that the server serves this API group and version (kubectl api-resources).';
    return new KubeObjectNotFoundError(`${head}. ${hint}`, { details });
  }
  if (code === 429 || code >= 500) {
    const wait = retryAfterSeconds !== undefined ? ` after ${retryAfterSeconds} s (Retry-After)` : '';
    return new KubeAPIUnavailableError(`${head}. Retry${wait}; ${REACH_HINT} and healthy.`, { details });
  }
  if (code === 400 || code === 422 || code === 413 || code === 415) {
    return new InvalidArgumentError(`${head}. Fix the request.`, { details });
  }
  if (code === 410)
    return new ExpiredError(`${head}. The resource version is too old: list again.`, { details });
  return new ConflictError(`${head}. Read the current object and retry.`, { details });
}

/** Maps a non-2xx HTTP response body to the core error model; see {@link errorFromStatus}. */
export function errorFromResponse(
  httpStatus: number,
  body: string,
  ctx: RequestContext,
  retryAfterHeader?: string,
): KubeSmartError {
  return errorFromStatus(httpStatus, parseStatus(body), ctx, parseRetryAfter(retryAfterHeader));
}

/** A request that never got an answer: connection refused, reset, TLS failure, DNS, timeout. */
export function unreachableError(
  cause: unknown,
  ctx: RequestContext,
  problem?: string,
): KubeAPIUnavailableError {
  const { attrs, text } = what(ctx);
  const code = (cause as { code?: string } | undefined)?.code;
  const why = problem ?? (cause instanceof Error ? cause.message : String(cause));
  return new KubeAPIUnavailableError(
    `the Kubernetes API at ${ctx.server} could not be reached to ${text} (${why}); ${REACH_HINT}.`,
    { cause, details: { server: ctx.server, errno: code, ...attrs } },
  );
}

/** HTTP status of a mapped API error; undefined when the request got no answer. */
export function statusOf(error: unknown): number | undefined {
  const status = error instanceof KubeSmartError ? error.details?.status : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** Seconds the server asked to wait (`Retry-After`), if any. */
export function retryAfterOf(error: unknown): number | undefined {
  const value = error instanceof KubeSmartError ? error.details?.retryAfterSeconds : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** True when the API server could not be reached at all (no HTTP answer). */
export function isUnreachable(error: unknown): boolean {
  return error instanceof KubeAPIUnavailableError && statusOf(error) === undefined;
}
