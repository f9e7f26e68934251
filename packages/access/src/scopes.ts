/**
 * What a key may reach. A missing list, or one holding `*`, allows anything of that kind; an empty
 * list allows nothing.
 */
export interface KeyScopes {
  /** Cluster ids the key may reach. */
  readonly clusters?: readonly string[] | undefined;
  /** Agent ids the key may reach. */
  readonly agents?: readonly string[] | undefined;
  /** Operations the key may call (`namespaces`, `pods`, `logs`, ...). */
  readonly operations?: readonly string[] | undefined;
}

/** The target of one request, as far as scopes speak of it. */
export interface ScopeTarget {
  readonly cluster?: string | undefined;
  readonly agent?: string | undefined;
  readonly operation?: string | undefined;
}

function allows(list: readonly string[] | undefined, value: string | undefined): boolean {
  if (list === undefined || value === undefined) return true;
  return list.includes('*') || list.includes(value);
}

/** The first scope that refuses `target` (`clusters`, `agents`, `operations`), or undefined when allowed. */
export function refusedScope(scopes: KeyScopes, target: ScopeTarget): keyof KeyScopes | undefined {
  if (!allows(scopes.operations, target.operation)) return 'operations';
  if (!allows(scopes.agents, target.agent)) return 'agents';
  if (!allows(scopes.clusters, target.cluster)) return 'clusters';
  return undefined;
}

/** Parses `clusters=a,b;agents=x;operations=namespaces,pods` (the CLI's `--scope`), naming a bad part. */
export function parseScopes(text: string): KeyScopes {
  const scopes: Record<string, string[]> = {};
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [kind, values] = part.split('=', 2);
    if (kind !== 'clusters' && kind !== 'agents' && kind !== 'operations') {
      throw new TypeError(`scope "${part}": use clusters=..., agents=... or operations=... separated by ";"`);
    }
    scopes[kind] = (values ?? '')
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  }
  return scopes;
}

/** `clusters=a,b; operations=*` for listings; `*` when the key is unrestricted. */
export function formatScopes(scopes: KeyScopes): string {
  const parts = (['clusters', 'agents', 'operations'] as const)
    .filter((kind) => scopes[kind] !== undefined)
    .map((kind) => `${kind}=${scopes[kind]!.join(',')}`);
  return parts.length ? parts.join('; ') : '*';
}
