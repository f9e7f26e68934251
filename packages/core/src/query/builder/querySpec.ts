import type { KubeObject } from '../../cluster/kubeObject.js';
import type { KindName } from '../kinds.js';
import { formatRequirement, formatSelector, type LabelRequirement } from '../labelSelector.js';
import { type FieldRequirement, formatFieldRequirement } from './fieldRequirement.js';
import type { QueryExplanation } from './queryExplanation.js';

/** A filter only the engine can apply (status, age, restarts, `where`): it sees the typed wrapper. */
export interface LocalPredicate {
  /** How `explain()` and errors name it: `broken()`, `where(custom)`. */
  readonly description: string;
  readonly test: (resource: unknown) => boolean;
}

/** What one parent of a join narrows the child query to. */
export interface JoinTarget {
  /** The parent's namespace (for namespaced children). */
  readonly namespace?: string | undefined;
  readonly names?: readonly string[] | undefined;
  readonly labels?: readonly LabelRequirement[] | undefined;
  readonly fields?: readonly FieldRequirement[] | undefined;
  /** A raw-object check no selector can express (an owner uid). */
  readonly test?: ((object: KubeObject) => boolean) | undefined;
}

/** The items a query found and how it ran. */
export interface QueryRun<W> {
  readonly items: W[];
  readonly explanation: QueryExplanation;
}

/** The parent of a join: any query. */
export interface JoinParent {
  describe(): string;
  run(take?: number): Promise<QueryRun<unknown>>;
}

/** A join: run `parent`, then the child query narrowed to each parent's target. */
export interface JoinSource {
  readonly parent: JoinParent;
  /** `pods of each deployment (by its selector)` */
  readonly description: string;
  readonly expand: (parent: unknown) => JoinTarget | undefined;
}

/** Everything a query says, immutable: every builder call returns a new spec. */
export interface QuerySpec {
  readonly kind: KindName;
  /** Undefined: every namespace. */
  readonly namespaces: readonly string[] | undefined;
  readonly excludedNamespaces: readonly string[];
  readonly names: readonly string[] | undefined;
  /** ANDed label requirements (withLabels, withoutLabels, a raw selector). */
  readonly labels: readonly LabelRequirement[];
  /** Groups ANDed together, each one an OR of requirements (withAnyLabel). */
  readonly anyLabels: readonly (readonly LabelRequirement[])[];
  readonly fields: readonly FieldRequirement[];
  readonly predicates: readonly LocalPredicate[];
  /** Keep Secret data (metadata only otherwise). */
  readonly withData: boolean;
  /** Skip watch caches, always ask the API server. */
  readonly fresh: boolean;
  readonly join: JoinSource | undefined;
}

export function emptySpec(kind: KindName): QuerySpec {
  return {
    kind,
    namespaces: undefined,
    excludedNamespaces: [],
    names: undefined,
    labels: [],
    anyLabels: [],
    fields: [],
    predicates: [],
    withData: false,
    fresh: false,
    join: undefined,
  };
}

/** `pods in namespaces a, b with labels app=web, named x where broken()`: for explain() and errors. */
export function describeSpec(spec: QuerySpec): string {
  const parts: string[] = [
    spec.join ? `${spec.kind} (${spec.join.description}) of [${spec.join.parent.describe()}]` : spec.kind,
  ];
  if (spec.namespaces) {
    parts.push(
      spec.namespaces.length === 1
        ? `in namespace ${spec.namespaces[0]}`
        : `in namespaces ${spec.namespaces.join(', ')}`,
    );
  }
  if (spec.excludedNamespaces.length > 0)
    parts.push(`not in namespaces ${spec.excludedNamespaces.join(', ')}`);
  if (spec.names) parts.push(`named ${spec.names.join(' or ')}`);
  if (spec.labels.length > 0) parts.push(`with labels ${formatSelector(spec.labels)}`);
  for (const group of spec.anyLabels)
    parts.push(`with any label of ${group.map(formatRequirement).join(' | ')}`);
  if (spec.fields.length > 0) parts.push(`with fields ${spec.fields.map(formatFieldRequirement).join(',')}`);
  if (spec.predicates.length > 0)
    parts.push(`where ${spec.predicates.map((p) => p.description).join(' and ')}`);
  return parts.join(' ');
}
