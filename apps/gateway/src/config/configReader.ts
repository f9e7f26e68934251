/**
 * Reads untyped YAML values field by field, collecting every problem with its path
 * (`services.cart.retry.max_attempts`) instead of stopping at the first.
 */
export class ConfigReader {
  readonly issues: string[] = [];
  /** Keys still read under an earlier name, each with the name to write instead. */
  readonly warnings: string[] = [];

  issue(path: string, message: string): undefined {
    this.issues.push(`${path || '(top level)'}: ${message}`);
    return undefined;
  }

  /** Notes that the key at `path` is deprecated, and what to write instead. */
  deprecated(path: string, instead: string): void {
    this.warnings.push(
      `${path} is deprecated and will stop working in the next major version; write ${instead} instead`,
    );
  }

  /** A mapping with any keys; undefined (with an issue) otherwise. */
  mapping(value: unknown, path: string): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.issue(path, `must be a mapping (key: value lines), got ${describe(value)}`);
    }
    return value as Record<string, unknown>;
  }

  /** A mapping with only `known` keys; undefined (with an issue) otherwise. */
  object(value: unknown, path: string, known: readonly string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return this.issue(path, `must be a mapping (key: value lines), got ${describe(value)}`);
    }
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (known.includes(key)) continue;
      const near = closest(key, known);
      this.issue(
        join(path, key),
        `unknown key${near ? `; did you mean \`${near}\`?` : ''} Known keys here: ${known.join(', ')}`,
      );
    }
    return record;
  }

  int(obj: Record<string, unknown>, key: string, path: string, min: number, max: number): number | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return this.issue(join(path, key), `must be an integer from ${min} to ${max}, got ${describe(value)}`);
    }
    return value;
  }

  string(obj: Record<string, unknown>, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '') {
      return this.issue(join(path, key), `must be a non-empty string, got ${describe(value)}`);
    }
    return value;
  }

  boolean(obj: Record<string, unknown>, key: string, path: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean')
      return this.issue(join(path, key), `must be true or false, got ${describe(value)}`);
    return value;
  }

  oneOf<T extends string>(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    allowed: readonly T[],
  ): T | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.issue(join(path, key), `must be one of ${allowed.join(', ')}, got ${describe(value)}`);
    }
    return value as T;
  }

  /**
   * A duration written as `<base>_ms` or `<base>_seconds` (the mesh simulation's `timeout_seconds`), in ms;
   * giving both is an error.
   */
  duration(
    obj: Record<string, unknown>,
    base: string,
    path: string,
    minMs: number,
    maxMs: number,
  ): number | undefined {
    const ms = obj[`${base}_ms`];
    const seconds = obj[`${base}_seconds`];
    if (ms !== undefined && seconds !== undefined) {
      return this.issue(join(path, base), `give either ${base}_ms or ${base}_seconds, not both`);
    }
    if (ms === undefined && seconds === undefined) return undefined;
    const key = ms !== undefined ? `${base}_ms` : `${base}_seconds`;
    const raw = ms ?? seconds;
    const value = typeof raw === 'number' ? (ms !== undefined ? raw : raw * 1000) : Number.NaN;
    if (!Number.isFinite(value) || value < minMs || value > maxMs) {
      return this.issue(
        join(path, key),
        `must be a number of ${ms !== undefined ? 'milliseconds' : 'seconds'} from ${ms !== undefined ? minMs : minMs / 1000} to ${ms !== undefined ? maxMs : maxMs / 1000}, got ${describe(raw)}`,
      );
    }
    return value;
  }
}

export const join = (path: string, key: string): string => (path === '' ? key : `${path}.${key}`);

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null (an empty value)';
  if (Array.isArray(value)) return `a list (${JSON.stringify(value).slice(0, 40)})`;
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/** The known key nearest to `key` by edit distance, when it is close enough to be a typo. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
