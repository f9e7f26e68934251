import type { RequestOutcome } from './trafficDriver.js';

/** Answers slower than this count as slow: a client waited on a bad pod. */
export const SLOW_MS = 1000;

/** Requests, client-visible errors and slow answers in a time window. */
export interface WindowCount {
  readonly requests: number;
  readonly errors: number;
  /** Answered, but after {@link SLOW_MS} or more. */
  readonly slow: number;
}

/** When each request of a traffic run was sent, to which route, and whether the client saw it fail. */
export class OutcomeLog {
  readonly #routes: string[] = [];
  readonly #sentAt: number[] = [];
  readonly #failed: boolean[] = [];
  readonly #latencyMs: number[] = [];

  record(outcome: RequestOutcome): void {
    this.#routes.push(outcome.path.split('/')[1] ?? '');
    this.#sentAt.push(outcome.sentAt);
    this.#failed.push(outcome.failed);
    this.#latencyMs.push(outcome.latencyMs);
  }

  /** Requests to `route` sent in [from, to), `performance.now()` ms. */
  count(route: string, from: number, to: number): WindowCount {
    let requests = 0;
    let errors = 0;
    let slow = 0;
    for (let i = 0; i < this.#sentAt.length; i++) {
      const at = this.#sentAt[i] ?? 0;
      if (this.#routes[i] !== route || at < from || at >= to) continue;
      requests++;
      if (this.#failed[i]) errors++;
      else if ((this.#latencyMs[i] ?? 0) >= SLOW_MS) slow++;
    }
    return { requests, errors, slow };
  }
}
