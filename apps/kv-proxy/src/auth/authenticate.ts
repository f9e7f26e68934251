import { audit, type FailureLimiter, type KeyStore, type TokenReviewer } from '@kubesmart/access';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthMode } from '../config.js';
import { HttpError } from '../httpErrors.js';

/** What a route does, in RBAC terms: checked with a SubjectAccessReview in tokenreview mode. */
export interface RouteAccess {
  verb: 'get' | 'list' | 'watch' | 'update' | 'delete';
  resource: 'configmaps' | 'services';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Routes with `access` need a caller; `'authenticated'` (metrics, docs) needs only valid
     * credentials, no RBAC check. Others (health probes) are open.
     */
    access?: RouteAccess | 'authenticated';
  }
  interface FastifyRequest {
    /** Who is calling: `key:<id>`, `user:<username>` or `ip:<address>` (AUTH_MODE=none). */
    caller?: string;
  }
}

export interface AuthDeps {
  mode: AuthMode;
  apiKeys?: KeyStore | undefined;
  reviewer?: TokenReviewer | undefined;
  failures: FailureLimiter;
  onRefused?: (reason: string) => void;
}

const BEARER = /^bearer\s+(\S+)\s*$/i;
const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="kv-proxy"' };

function credential(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  const bearer = header ? BEARER.exec(header)?.[1] : undefined;
  const apiKey = request.headers['x-api-key'];
  return bearer ?? (typeof apiKey === 'string' && apiKey ? apiKey : undefined);
}

/**
 * The `onRequest` hook: authenticates (API keys or TokenReview, through @kubesmart/access) and
 * authorizes (tokenreview); writes an audit line per decision; refuses sources with too many failed
 * attempts. Rate limits come after it, per caller (`@fastify/rate-limit`).
 */
export function authenticate(deps: AuthDeps) {
  const refuse = (
    request: FastifyRequest,
    status: number,
    code: string,
    message: string,
    headers?: Record<string, string>,
    principal?: string,
  ): never => {
    deps.onRefused?.(code);
    if (status === 401) deps.failures.fail(request.ip);
    audit(request.log, {
      decision: 'deny',
      reason: code,
      principal,
      source: request.ip,
      action: `${request.method} ${request.routeOptions.url}`,
    });
    throw new HttpError(status, code, message, headers);
  };
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    let caller = `ip:${request.ip}`;
    if (deps.mode !== 'none') {
      const blocked = deps.failures.retryAfterSeconds(request.ip);
      if (blocked > 0) {
        refuse(
          request,
          429,
          'TOO_MANY_FAILURES',
          `Too many failed authentications from ${request.ip}; retry in ${blocked} s.`,
          {
            'Retry-After': String(blocked),
          },
        );
      }
      const token = credential(request);
      if (!token) {
        refuse(
          request,
          401,
          'UNAUTHENTICATED',
          'Send credentials: "Authorization: Bearer <key or token>" or "X-API-Key: <key>".',
          CHALLENGE,
        );
      }
      if (deps.mode === 'apikey') {
        const verdict = deps.apiKeys!.verify(token);
        if (!verdict.ok) {
          refuse(
            request,
            401,
            'INVALID_API_KEY',
            `The API key is not valid (${verdict.reason}; keys are in Secret ${deps.apiKeys!.secret}).`,
            CHALLENGE,
            verdict.id,
          );
        }
        caller = `key:${verdict.ok ? verdict.key.id : ''}`;
      } else {
        const outcome = await deps.reviewer!.authenticate(token!);
        if (outcome.kind === 'throttled') {
          refuse(request, 429, 'TOO_MANY_REVIEWS', 'Too many new tokens to review right now; retry in 1 s.', {
            'Retry-After': '1',
          });
        }
        if (outcome.kind !== 'user') {
          refuse(
            request,
            401,
            'INVALID_TOKEN',
            'The token was not accepted by the Kubernetes TokenReview API.',
            CHALLENGE,
          );
        }
        const user = (outcome as { user: { username: string; groups: readonly string[]; uid?: string } })
          .user;
        if (access !== 'authenticated') await authorize(request, deps, access, user);
        caller = `user:${user.username}`;
      }
    }
    audit(request.log, {
      decision: 'allow',
      reason: 'ok',
      principal: caller,
      source: request.ip,
      action: `${request.method} ${request.routeOptions.url}`,
    });
    request.caller = caller;
  };

  async function authorize(
    request: FastifyRequest,
    deps: AuthDeps,
    access: RouteAccess,
    user: { username: string; groups: readonly string[]; uid?: string },
  ): Promise<void> {
    const params = request.params as { namespace?: string; configmap?: string; bucket?: string };
    const namespace = params.namespace ?? '';
    const name = params.configmap ?? params.bucket;
    const decision = await deps.reviewer!.authorize(user, {
      verb: access.verb,
      resource: access.resource,
      namespace,
      ...(name && access.resource === 'configmaps' ? { name } : {}),
    });
    if (!decision.allowed) {
      const what = `${access.verb} ${access.resource}${name && access.resource === 'configmaps' ? ` "${name}"` : ''}`;
      // The authorizer's reason (RBAC rule text) goes to the audit log, not to the caller.
      request.log.info({ principal: user.username, reason: decision.reason }, 'access denied');
      refuse(
        request,
        403,
        'ACCESS_DENIED',
        `User "${user.username}" may not ${what} in namespace "${namespace}"; grant it with a Role.`,
        undefined,
        user.username,
      );
    }
  }
}
