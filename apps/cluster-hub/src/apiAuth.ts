import {
  audit,
  type FailureLimiter,
  type KeyInfo,
  type KeyRefusal,
  type KeyStore,
  refusedScope,
  type ScopeTarget,
} from '@kubesmart/access';
import type { Logger } from '@kubesmart/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HubError } from './hubErrors.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Routes of the API need an API key; probes do not. */
    api?: boolean;
  }
  interface FastifyRequest {
    /** The verified API key of the request. */
    principal?: KeyInfo;
  }
}

const BEARER = /^bearer\s+(\S+)\s*$/i;

const REFUSALS: Record<KeyRefusal, { code: string; message: string }> = {
  missing: {
    code: 'MISSING_API_KEY',
    message: 'Send an API key in the "X-API-Key" header (create one with "kubesmart hub keys create").',
  },
  malformed: { code: 'INVALID_API_KEY', message: 'The API key is not of the form ksh_<id>_<secret>.' },
  unknown: {
    code: 'INVALID_API_KEY',
    message: 'No API key has this id; create one with "kubesmart hub keys create".',
  },
  'wrong-secret': { code: 'INVALID_API_KEY', message: 'The API key is not valid.' },
  expired: { code: 'EXPIRED_API_KEY', message: 'The API key has expired; create a new one.' },
  revoked: { code: 'REVOKED_API_KEY', message: 'The API key was revoked; create a new one.' },
  'not-ready': { code: 'KEYS_LOADING', message: 'The hub is still loading API keys; retry shortly.' },
};

function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header !== '') return header.trim();
  const bearer = request.headers.authorization ? BEARER.exec(request.headers.authorization)?.[1] : undefined;
  return bearer;
}

/** The `onRequest` hook of API routes: the key, checked against the store; refused sources are bounded. */
export function apiKeyHook(keys: KeyStore, failures: FailureLimiter, logger: Logger) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!request.routeOptions.config.api) return;
    const action = `${request.method} ${request.routeOptions.url ?? request.url}`;
    const blocked = failures.retryAfterSeconds(request.ip);
    if (blocked > 0) {
      audit(logger, { decision: 'deny', reason: 'too-many-failures', source: request.ip, action });
      throw new HubError(
        429,
        'TOO_MANY_FAILURES',
        `Too many failed authentications from ${request.ip}; retry in ${blocked} s.`,
        {
          'Retry-After': String(blocked),
        },
      );
    }
    const verdict = keys.verify(presentedKey(request));
    if (!verdict.ok) {
      const refusal = REFUSALS[verdict.reason];
      audit(logger, {
        decision: 'deny',
        reason: verdict.reason,
        principal: verdict.id,
        source: request.ip,
        action,
      });
      if (verdict.reason === 'not-ready')
        throw new HubError(503, refusal.code, refusal.message, { 'Retry-After': '1' });
      failures.fail(request.ip);
      throw new HubError(401, refusal.code, refusal.message, {
        'WWW-Authenticate': 'ApiKey header="X-API-Key"',
      });
    }
    audit(logger, { decision: 'allow', reason: 'ok', principal: verdict.key.id, source: request.ip, action });
    request.principal = verdict.key;
  };
}

/** Refuses with 403 naming the scope when the request's key may not reach `target`. */
export function requireScope(request: FastifyRequest, target: ScopeTarget, logger: Logger): void {
  const key = request.principal;
  if (!key) throw new HubError(401, 'MISSING_API_KEY', REFUSALS.missing.message);
  const refused = refusedScope(key.scopes, target);
  if (!refused) return;
  const value =
    refused === 'operations' ? target.operation : refused === 'agents' ? target.agent : target.cluster;
  audit(logger, {
    decision: 'deny',
    reason: `scope:${refused}`,
    principal: key.id,
    source: request.ip,
    action: `${request.method} ${request.routeOptions.url ?? request.url}`,
    target: { ...target },
  });
  throw new HubError(
    403,
    'SCOPE_DENIED',
    `API key ${key.id} may not reach ${refused.slice(0, -1)} "${value}" (its ${refused}: ${key.scopes[refused]?.join(', ') || 'none'}).`,
  );
}
