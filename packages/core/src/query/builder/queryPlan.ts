import type { KubeObject } from '../../cluster/kubeObject.js';
import type { WatchCache } from '../../cluster/watchCache.js';
import type { WatchCacheRegistry } from '../../cluster/watchCacheRegistry.js';
import { describeScope, type WatchScope } from '../../cluster/watchScope.js';
import { KINDS } from '../kinds.js';
import {
  formatRequirement,
  formatSelector,
  type LabelRequirement,
  matchesRequirement,
} from '../labelSelector.js';
import { type FieldRequirement, formatFieldSelector, matchesField } from './fieldRequirement.js';
import type { QuerySpec } from './querySpec.js';

/** One list the query reads: from the API server (paged) or from a live watch cache. */
export interface PlanStep {
  readonly source: 'api' | 'cache';
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  /** The cache read, for `cache` steps. */
  readonly cache?: WatchCache | undefined;
}

export interface QueryPlan {
  readonly steps: readonly PlanStep[];
  /** Label selector sent to the API server. */
  readonly labelSelector: string | undefined;
  /** Field selector sent to the API server (per-step namespace terms aside). */
  readonly fieldSelector: string | undefined;
  /** Filters of API steps that run here, by description. */
  readonly local: readonly string[];
  /** Why the plan looks the way it does. */
  readonly notes: readonly string[];
  /** Every selector-like filter, checked on every object whatever its source. */
  readonly matches: (object: KubeObject) => boolean;
  /** Nothing is filtered here: the first object the server sends is a match. */
  readonly exact: boolean;
}

export interface PlanSettings {
  readonly namespaceListLimit: number;
  readonly useWatchCaches: boolean;
}

/** An `anyLabels` group the server can take: every term `in` on one key (`v in (a,b)`). */
function collapse(group: readonly LabelRequirement[]): LabelRequirement | undefined {
  const [first] = group;
  if (!first || group.some((r) => r.op !== 'in' || r.key !== first.key)) return undefined;
  return { key: first.key, op: 'in', values: [...new Set(group.flatMap((r) => r.values))] };
}

function usable(cache: WatchCache | undefined): cache is WatchCache {
  return cache?.synced() === true && !cache.status().stale;
}

/** Objects matching the selector-like filters of `spec` (namespaces, names, labels, fields). */
export function specMatcher(spec: QuerySpec): (object: KubeObject) => boolean {
  const namespaces = spec.namespaces ? new Set(spec.namespaces) : undefined;
  const excluded = new Set(spec.excludedNamespaces);
  const names = spec.names ? new Set(spec.names) : undefined;
  const namespaced = KINDS[spec.kind].namespaced;
  return (object) => {
    const meta = object.metadata ?? {};
    const ns = meta.namespace ?? '';
    if (namespaced && namespaces && !namespaces.has(ns)) return false;
    if (namespaced && excluded.has(ns)) return false;
    if (names && !names.has(meta.name ?? '')) return false;
    const labels = meta.labels ?? {};
    if (!spec.labels.every((r) => matchesRequirement(r, labels))) return false;
    if (!spec.anyLabels.every((group) => group.some((r) => matchesRequirement(r, labels)))) return false;
    return spec.fields.every((r) => matchesField(r, object));
  };
}

/**
 * Decides what the API server filters and what runs here: label requirements and single-key
 * `withAnyLabel` go out as a label selector; one name, phase, node and excluded namespaces as a field
 * selector; one namespace becomes a namespaced list; several become one list per namespace (each
 * with the selectors), or one cluster-wide list when there are more than `namespaceListLimit` of them
 * or the query names a single object. A live, synced watch cache covering a step replaces its request.
 */
export function planQuery(spec: QuerySpec, registry: WatchCacheRegistry, settings: PlanSettings): QueryPlan {
  const info = KINDS[spec.kind];
  const local: string[] = [];
  const notes: string[] = [];
  const labels: LabelRequirement[] = [...spec.labels];
  for (const group of spec.anyLabels) {
    const single = collapse(group);
    if (single) labels.push(single);
    else local.push(`any label of ${group.map(formatRequirement).join(' | ')}`);
  }
  const fields: FieldRequirement[] = [...spec.fields];
  const [onlyName] = spec.names ?? [];
  if (spec.names?.length === 1 && onlyName !== undefined)
    fields.push({ field: 'metadata.name', op: '=', value: onlyName });
  else if (spec.names && spec.names.length > 1) local.push(`name in (${spec.names.join(', ')})`);
  const labelSelector = formatSelector(labels);
  // One name matches at most one object per namespace: a cluster-wide list of it is always small.
  const oneName = spec.names?.length === 1;

  let scopes: (string | undefined)[];
  let clusterFields = fields;
  if (spec.names?.length === 0) {
    scopes = [];
    notes.push('the name filters leave no name to look for: nothing to ask');
  } else if (!info.namespaced) scopes = [undefined];
  else if (spec.namespaces === undefined) {
    scopes = [undefined];
    clusterFields = [
      ...fields,
      ...spec.excludedNamespaces.map(
        (ns): FieldRequirement => ({ field: 'metadata.namespace', op: '!=', value: ns }),
      ),
    ];
  } else {
    const wanted = [...new Set(spec.namespaces)].filter((ns) => !spec.excludedNamespaces.includes(ns));
    if (wanted.length === 0) {
      scopes = [];
      notes.push('the namespace filters exclude every namespace: nothing to ask');
    } else if (wanted.length === 1) scopes = wanted;
    else if (oneName || wanted.length > settings.namespaceListLimit) {
      scopes = [undefined];
      local.unshift(`namespace in (${wanted.join(', ')})`);
      notes.push(
        oneName
          ? `one cluster-wide list instead of ${wanted.length} namespace lists: a single name matches at most one object per namespace`
          : `one cluster-wide list instead of ${wanted.length} namespace lists (more than namespaceListLimit ${settings.namespaceListLimit})`,
      );
    } else {
      scopes = wanted;
      notes.push(
        `${wanted.length} namespace lists (at most namespaceListLimit ${settings.namespaceListLimit} before one cluster-wide list)`,
      );
    }
  }
  local.push(...spec.predicates.map((p) => p.description));
  if (spec.kind === 'secrets' && !spec.withData) {
    notes.push(
      'secret values are dropped as each object arrives (metadata and key names only); withData() keeps them',
    );
  }

  let steps: PlanStep[] = scopes.map((namespace) => ({
    source: 'api',
    namespace,
    labelSelector,
    fieldSelector: formatFieldSelector(namespace === undefined ? clusterFields : fields),
  }));
  if (settings.useWatchCaches && !spec.fresh && steps.length > 0) {
    const whole = registry.peek({ resource: info.ref });
    if (usable(whole)) {
      steps = [
        {
          source: 'cache',
          namespace: undefined,
          labelSelector: undefined,
          fieldSelector: undefined,
          cache: whole,
        },
      ];
      notes.push(
        `read from the live watch cache of ${describeScope(whole.scope)}: no request; every filter runs here`,
      );
    } else {
      steps = steps.map((step) => {
        const exact: WatchScope = {
          resource: info.ref,
          namespace: step.namespace,
          labelSelector: step.labelSelector,
          fieldSelector: step.fieldSelector,
        };
        const cache = [
          registry.peek(exact),
          step.namespace ? registry.peek({ resource: info.ref, namespace: step.namespace }) : undefined,
        ].find(usable);
        if (!cache) return step;
        notes.push(`read from the live watch cache of ${describeScope(cache.scope)} instead of a request`);
        return { ...step, source: 'cache', cache };
      });
    }
  }
  return {
    steps,
    labelSelector,
    fieldSelector: formatFieldSelector(
      scopes.length === 1 && scopes[0] === undefined ? clusterFields : fields,
    ),
    local,
    notes,
    matches: specMatcher(spec),
    exact: local.length === 0,
  };
}
