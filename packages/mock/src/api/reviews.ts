import { badRequest } from '../kubeApiError.js';
import type { ResourceType } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import type { AccessControl, SubjectAccessReviewSpec, UserInfo } from './auth.js';

function specOf(body: unknown): Record<string, unknown> {
  const spec = (body as { spec?: unknown } | undefined)?.spec;
  if (!spec || typeof spec !== 'object') throw badRequest('the review must have a spec object');
  return spec as Record<string, unknown>;
}

/**
 * Answers TokenReview, SelfSubjectReview, SelfSubjectAccessReview and SubjectAccessReview from the
 * emulator's own token and RBAC tables, so a service can authenticate callers and check permissions
 * as in a real cluster (`kubectl auth whoami`, `kubectl auth can-i`).
 */
export function reviewAccess(
  rt: ResourceType,
  body: unknown,
  user: UserInfo,
  access: AccessControl,
): KubeObject {
  if (rt.kind === 'SelfSubjectReview') {
    return {
      apiVersion: rt.apiVersion,
      kind: rt.kind,
      metadata: {},
      status: {
        userInfo: { username: user.username, ...(user.uid ? { uid: user.uid } : {}), groups: user.groups },
      },
    };
  }
  const spec = specOf(body);
  const review = (status: object): KubeObject => ({
    apiVersion: rt.apiVersion,
    kind: rt.kind,
    metadata: {},
    spec,
    status,
  });
  if (rt.kind === 'TokenReview') {
    if (typeof spec.token !== 'string') throw badRequest('spec.token of a TokenReview must be a string');
    return review(access.tokenReview(spec.token));
  }
  const subject: SubjectAccessReviewSpec =
    rt.kind === 'SelfSubjectAccessReview'
      ? { ...(spec as SubjectAccessReviewSpec), user: user.username, groups: user.groups }
      : (spec as SubjectAccessReviewSpec);
  return review(access.subjectAccessReview(subject));
}
