import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthMode } from '../config.js';
import { HttpError } from '../httpErrors.js';
import type { RateLimiter } from '../rateLimiter.js';
import type { ApiKeys } from './apiKeys.js';
import type { TokenReviewer } from './tokenReview.js';

/** What a route does, in RBAC terms: checked with a SubjectAccessReview in tokenreview mode. */
export interface RouteAccess {
  verb: 'get' | 'list' | 'watch' | 'update' | 'delete';
  resource: 'configmaps' | 'services';
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes with `access` need a caller; others (health, metrics, docs) are open. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Who is calling: `key:<name>`, `user:<username>` or `ip:<address>` (AUTH_MODE=none). */
    caller?: string;
  }
}

export interface AuthDeps {
  mode: AuthMode;
  apiKeys?: ApiKeys | undefined;
  reviewer?: TokenReviewer | undefined;
  limiter: RateLimiter;
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

/** The `onRequest` hook: authenticates, authorizes (tokenreview) and rate-limits per caller. */
export function authenticate(deps: AuthDeps) {
  const refuse = (status: number, code: string, message: string, headers?: Record<string, string>): never => {
    deps.onRefused?.(code);
    throw new HttpError(status, code, message, headers);
  };
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    let caller = `ip:${request.ip}`;
    if (deps.mode !== 'none') {
      const token = credential(request);
      if (!token) {
        refuse(
          401,
          'UNAUTHENTICATED',
          'Send credentials: "Authorization: Bearer <key or token>" or "X-API-Key: <key>".',
          CHALLENGE,
        );
      }
      if (deps.mode === 'apikey') {
        const name = await deps.apiKeys!.verify(token!);
        if (!name)
          refuse(
            401,
            'INVALID_API_KEY',
            `The API key is not valid (keys are listed in Secret ${deps.apiKeys!.secret}).`,
            CHALLENGE,
          );
        caller = `key:${name}`;
      } else {
        const user = await deps.reviewer!.authenticate(token!);
        if (!user)
          refuse(
            401,
            'INVALID_TOKEN',
            'The token was not accepted by the Kubernetes TokenReview API.',
            CHALLENGE,
          );
        const params = request.params as { namespace?: string; configmap?: string; bucket?: string };
        const namespace = params.namespace ?? '';
        const name = params.configmap ?? params.bucket;
        const decision = await deps.reviewer!.authorize(user!, {
          verb: access.verb,
          resource: access.resource,
          namespace,
          ...(name && access.resource === 'configmaps' ? { name } : {}),
        });
        if (!decision.allowed) {
          const what = `${access.verb} ${access.resource}${name && access.resource === 'configmaps' ? ` "${name}"` : ''}`;
          refuse(
            403,
            'ACCESS_DENIED',
            `User "${user!.username}" may not ${what} in namespace "${namespace}"${decision.reason ? ` (${decision.reason})` : ''}; grant it with a Role.`,
          );
        }
        caller = `user:${user!.username}`;
      }
    }
    const waitS = deps.limiter.take(caller);
    if (waitS > 0) {
      refuse(429, 'RATE_LIMITED', `Too many requests from ${caller}; retry in ${waitS} s.`, {
        'Retry-After': String(waitS),
      });
    }
    request.caller = caller;
  };
}
