/** What a rate limit counts: an authenticated principal, else the client address. */
export interface RateLimitSubject {
  /** `key:<id>`, `user:<name>`, or undefined before authentication. */
  readonly principal?: string | undefined;
  readonly ip: string;
}

/** The one rate-limit key of a request: its principal when known (one budget per API key), else `ip:<address>`. */
export function rateLimitKey(subject: RateLimitSubject): string {
  return subject.principal ?? `ip:${subject.ip}`;
}

/** Namespace of the counters in a shared store (Redis), so services sharing one Redis do not mix budgets. */
export function rateLimitNamespace(service: string): string {
  return `kubesmart:${service}:rl:`;
}
