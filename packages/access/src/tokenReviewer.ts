import { createHash } from 'node:crypto';
import type { KubeClient } from '@kubesmart/core/building-blocks';
import { TtlCache } from './ttlCache.js';

export interface ReviewedUser {
  readonly username: string;
  readonly uid?: string | undefined;
  readonly groups: readonly string[];
}

/** What a request does, in RBAC terms, for a SubjectAccessReview. */
export interface AccessAttributes {
  readonly verb: string;
  readonly resource: string;
  readonly namespace: string;
  readonly name?: string | undefined;
}

/** `user` when the token is valid; `invalid`; `throttled` when reviews are over budget and the token is not cached. */
export type ReviewOutcome =
  | { readonly kind: 'user'; readonly user: ReviewedUser }
  | { readonly kind: 'invalid' }
  | { readonly kind: 'throttled' };

export interface TokenReviewerOptions {
  /** A client with rights to create tokenreviews and subjectaccessreviews. */
  client: KubeClient;
  /** How long a valid token is trusted without a new review, in ms. @default 30000 */
  validTtlMs?: number;
  /** How long a refused token stays refused, in ms. @default 5000 */
  invalidTtlMs?: number;
  /** How long an access decision is kept, in ms. @default 10000 */
  decisionTtlMs?: number;
  /** TokenReviews sent per second at most for tokens not in the cache (random tokens cost nothing beyond it). @default 20 */
  reviewsPerSecond?: number;
  /** Monotonic time in ms. @default performance.now */
  now?: () => number;
}

/**
 * Authenticates Kubernetes ServiceAccount tokens (TokenReview) and authorizes requests as if the caller
 * made them against the API server (SubjectAccessReview). Answers are cached by the token's digest;
 * concurrent reviews of one token share one request; reviews of uncached tokens have a budget per
 * second, so a flood of random tokens costs the API server at most that.
 */
export class TokenReviewer {
  readonly #client: KubeClient;
  readonly #users = new TtlCache<ReviewedUser | null>(10_000);
  readonly #decisions = new TtlCache<{ allowed: boolean; reason: string }>(10_000);
  readonly #inFlight = new Map<string, Promise<ReviewedUser | null>>();
  readonly #validTtl: number;
  readonly #invalidTtl: number;
  readonly #decisionTtl: number;
  readonly #perSecond: number;
  readonly #now: () => number;
  #budget: number;
  #budgetAt: number;

  constructor(options: TokenReviewerOptions) {
    this.#client = options.client;
    this.#validTtl = options.validTtlMs ?? 30_000;
    this.#invalidTtl = options.invalidTtlMs ?? 5_000;
    this.#decisionTtl = options.decisionTtlMs ?? 10_000;
    this.#perSecond = options.reviewsPerSecond ?? 20;
    this.#now = options.now ?? (() => performance.now());
    this.#budget = this.#perSecond;
    this.#budgetAt = this.#now();
  }

  async authenticate(token: string): Promise<ReviewOutcome> {
    const key = createHash('sha256').update(token).digest('base64');
    const now = this.#now();
    const cached = this.#users.get(key, now);
    if (cached !== undefined) return cached ? { kind: 'user', user: cached } : { kind: 'invalid' };
    let pending = this.#inFlight.get(key);
    if (!pending) {
      if (!this.#spend(now)) return { kind: 'throttled' };
      pending = this.#review(token, key).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    const user = await pending;
    return user ? { kind: 'user', user } : { kind: 'invalid' };
  }

  async authorize(
    user: ReviewedUser,
    attrs: AccessAttributes,
  ): Promise<{ allowed: boolean; reason: string }> {
    const key = JSON.stringify([user.username, user.groups, attrs]);
    const cached = this.#decisions.get(key, this.#now());
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
    this.#decisions.set(key, decision, this.#decisionTtl, this.#now());
    return decision;
  }

  async #review(token: string, key: string): Promise<ReviewedUser | null> {
    const review = await this.#client.request<{
      status?: { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[] } };
    }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } },
    });
    const raw = review.status?.authenticated ? review.status.user : undefined;
    const user: ReviewedUser | null = raw?.username
      ? { username: raw.username, uid: raw.uid, groups: raw.groups ?? [] }
      : null;
    this.#users.set(key, user, user ? this.#validTtl : this.#invalidTtl, this.#now());
    return user;
  }

  #spend(now: number): boolean {
    this.#budget = Math.min(
      this.#perSecond,
      this.#budget + ((now - this.#budgetAt) / 1000) * this.#perSecond,
    );
    this.#budgetAt = now;
    if (this.#budget < 1) return false;
    this.#budget -= 1;
    return true;
  }
}
