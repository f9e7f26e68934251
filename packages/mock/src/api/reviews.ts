import type { ResourceType } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import type { AccessControl, UserInfo } from './auth.js';
import { badRequest } from './status.js';

interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

function specOf(body: unknown): Record<string, unknown> {
  const spec = (body as { spec?: unknown } | undefined)?.spec;
  if (!spec || typeof spec !== 'object') throw badRequest('the review must have a spec object');
  return spec as Record<string, unknown>;
}

/**
 * Answers TokenReview, SelfSubjectAccessReview and SubjectAccessReview from the emulator's own token
 * and RBAC tables, so a service can authenticate callers and check permissions as in a real cluster.
 */
export function reviewAccess(rt: ResourceType, body: unknown, user: UserInfo, access: AccessControl): KubeObject {
  const spec = specOf(body);
  const base = { apiVersion: rt.apiVersion, kind: rt.kind, metadata: { creationTimestamp: null }, spec };
  if (rt.kind === 'TokenReview') {
    if (typeof spec.token !== 'string') throw badRequest('spec.token of a TokenReview must be a string');
    const review = access.tokenReview(spec.token);
    return {
      ...base,
      status: {
        authenticated: review.authenticated,
        ...(review.user ? { user: review.user } : {}),
        ...(review.error ? { error: review.error } : {}),
      },
    } as KubeObject;
  }
  if (rt.kind === 'SelfSubjectAccessReview') {
    const attrs = (spec.resourceAttributes ?? {}) as ResourceAttributes;
    const decision = access.authorize(user, {
      verb: attrs.verb ?? '',
      apiGroup: attrs.group ?? '',
      resource: attrs.resource ?? '',
      ...(attrs.subresource ? { subresource: attrs.subresource } : {}),
      namespace: attrs.namespace ?? '',
      ...(attrs.name ? { name: attrs.name } : {}),
    });
    return { ...base, status: { allowed: decision.allowed, reason: decision.reason } } as KubeObject;
  }
  const decision = access.subjectAccessReview(spec as Parameters<AccessControl['subjectAccessReview']>[0]);
  return { ...base, status: decision } as KubeObject;
}
