import { createHash } from 'node:crypto';
import type { KubeClient } from '@kubesmart/core';

export interface ReviewedUser {
  username: string;
  uid?: string;
  groups: string[];
}

/** What a request does, in RBAC terms, for a SubjectAccessReview. */
export interface AccessAttributes {
  verb: string;
  resource: string;
  namespace: string;
  name?: string;
}

interface Cached<T> {
  value: T;
  expires: number;
}

/** A small map with expiry and a size cap (oldest entries go first). */
class TtlCache<T> {
  readonly #entries = new Map<string, Cached<T>>();
  constructor(readonly max: number) {}
  get(key: string, now: number): T | undefined {
    const hit = this.#entries.get(key);
    if (!hit) return undefined;
    if (hit.expires > now) return hit.value;
    this.#entries.delete(key);
    return undefined;
  }
  set(key: string, value: T, ttlMs: number, now: number): void {
    if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { value, expires: now + ttlMs });
  }
}

/**
 * Authenticates callers by their Kubernetes ServiceAccount token (TokenReview) and authorizes each
 * request as if the caller made it against the API server (SubjectAccessReview), so RBAC decides.
 * Answers are cached briefly: 30 s for a valid token, 5 s for a refusal, 10 s for an access decision.
 */
export class TokenReviewer {
  readonly #client: KubeClient;
  readonly #users = new TtlCache<ReviewedUser | null>(10_000);
  readonly #decisions = new TtlCache<{ allowed: boolean; reason: string }>(10_000);

  constructor(client: KubeClient) {
    this.#client = client;
  }

  async authenticate(token: string): Promise<ReviewedUser | undefined> {
    const key = createHash('sha256').update(token).digest('base64');
    const now = performance.now();
    const cached = this.#users.get(key, now);
    if (cached !== undefined) return cached ?? undefined;
    const review = await this.#client.request<{ status?: { authenticated?: boolean; user?: ReviewedUser } }>(
      'POST',
      '/apis/authentication.k8s.io/v1/tokenreviews',
      { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } },
    );
    const user =
      review.status?.authenticated && review.status.user?.username ? review.status.user : undefined;
    this.#users.set(key, user ? { ...user, groups: user.groups ?? [] } : null, user ? 30_000 : 5_000, now);
    return user;
  }

  async authorize(
    user: ReviewedUser,
    attrs: AccessAttributes,
  ): Promise<{ allowed: boolean; reason: string }> {
    const key = JSON.stringify([user.username, user.groups, attrs]);
    const now = performance.now();
    const cached = this.#decisions.get(key, now);
    if (cached) return cached;
    const review = await this.#client.request<{ status?: { allowed?: boolean; reason?: string } }>(
      'POST',
      '/apis/authorization.k8s.io/v1/subjectaccessreviews',
      {
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SubjectAccessReview',
          spec: {
            user: user.username,
            groups: user.groups,
            ...(user.uid ? { uid: user.uid } : {}),
            resourceAttributes: { group: '', ...attrs },
          },
        },
      },
    );
    const decision = { allowed: review.status?.allowed === true, reason: review.status?.reason ?? '' };
    this.#decisions.set(key, decision, 10_000, now);
    return decision;
  }
}
