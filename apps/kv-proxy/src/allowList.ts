import { HttpError } from './httpErrors.js';

/**
 * What the proxy serves: some namespaces and some buckets (ConfigMap names), so it never exposes more
 * of the cluster than it must. `*` allows any.
 */
export class AllowList {
  readonly #namespaces: ReadonlySet<string>;
  readonly #buckets: ReadonlySet<string>;

  constructor(namespaces: readonly string[], buckets: readonly string[]) {
    this.#namespaces = new Set(namespaces);
    this.#buckets = new Set(buckets);
  }

  /** Namespaces named explicitly (not `*`). */
  get namespaces(): string[] {
    return [...this.#namespaces].filter((ns) => ns !== '*');
  }

  /** Buckets named explicitly (not `*`). */
  get buckets(): string[] {
    return [...this.#buckets].filter((b) => b !== '*');
  }

  /** Throws 404 for a namespace or bucket the proxy does not serve. */
  check(namespace: string, bucket?: string): void {
    if (!this.#namespaces.has('*') && !this.#namespaces.has(namespace)) {
      throw new HttpError(
        404,
        'NAMESPACE_NOT_SERVED',
        `Namespace "${namespace}" is not served by this proxy (allowed: ${[...this.#namespaces].join(', ')}; see KV_NAMESPACES).`,
      );
    }
    if (bucket !== undefined && !this.#buckets.has('*') && !this.#buckets.has(bucket)) {
      throw new HttpError(
        404,
        'BUCKET_NOT_SERVED',
        `Bucket "${bucket}" is not served by this proxy (allowed: ${[...this.#buckets].join(', ')}; see KV_BUCKETS).`,
      );
    }
  }
}
