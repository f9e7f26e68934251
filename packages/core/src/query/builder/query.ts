import type { KubeObject } from '../../cluster/kubeObject.js';
import { InvalidArgumentError, QueryNotFoundError } from '../../errors.js';
import { type Duration, toMs } from '../format/duration.js';
import type { KindTypes } from '../kinds.js';
import { KINDS, type KindName } from '../kinds.js';
import { type LabelMatch, parseSelector, requirementsOf } from '../labelSelector.js';
import type { QueryRuntime } from '../queryRuntime.js';
import type { KubeResource } from '../resources/kubeResource.js';
import { explainRun } from './explainQuery.js';
import { runJoin } from './joins.js';
import type { QueryExplanation } from './queryExplanation.js';
import { planQuery } from './queryPlan.js';
import { runPlan } from './queryRunner.js';
import { describeSpec, type JoinTarget, type QueryRun, type QuerySpec } from './querySpec.js';
import { type Plucked, type PluckKey, ResultList } from './resultList.js';

/** Namespaces `system()` selects. */
export const SYSTEM_NAMESPACES: readonly string[] = Object.freeze([
  'kube-system',
  'kube-public',
  'kube-node-lease',
]);

const byNamespaceAndName = (a: KubeResource, b: KubeResource): number =>
  (a.namespace ?? '').localeCompare(b.namespace ?? '') || a.name.localeCompare(b.name);

const intersect = (current: readonly string[] | undefined, next: readonly string[]): readonly string[] =>
  current ? current.filter((x) => next.includes(x)) : [...new Set(next)];

/**
 * A fluent, immutable query over one kind: every filter returns a new query, nothing runs until
 * `all()`, `first()`, `count()`, `pluck()` or `explain()`. Filters the API server understands go out
 * as label and field selectors; the rest runs here (see `explain()`). Covers every namespace unless
 * narrowed.
 */
export class Query<W extends KubeResource> {
  protected readonly runtime: QueryRuntime;
  protected readonly spec: QuerySpec;

  constructor(runtime: QueryRuntime, spec: QuerySpec) {
    this.runtime = runtime;
    this.spec = spec;
  }

  get kindName(): KindName {
    return this.spec.kind;
  }

  /** Only this namespace. */
  inNamespace(namespace: string): this {
    return this.inNamespaces(namespace);
  }

  /** Only these namespaces (ANDed with earlier namespace filters). */
  inNamespaces(...namespaces: string[]): this {
    this.#namespacedOnly('inNamespaces');
    return this.derive({ namespaces: intersect(this.spec.namespaces, namespaces) });
  }

  /** Every namespace but these (a `metadata.namespace!=` field selector on a cluster-wide list). */
  notInNamespaces(...namespaces: string[]): this {
    this.#namespacedOnly('notInNamespaces');
    return this.derive({
      excludedNamespaces: [...new Set([...this.spec.excludedNamespaces, ...namespaces])],
    });
  }

  /** The system namespaces: kube-system, kube-public, kube-node-lease. */
  system(): this {
    return this.inNamespaces(...SYSTEM_NAMESPACES);
  }

  /** Only objects with one of these names (one name is a `metadata.name` field selector). */
  named(...names: string[]): this {
    return this.derive({ names: intersect(this.spec.names, names) });
  }

  /** Every label given must match (a value, or any of several values). */
  withLabels(labels: LabelMatch): this {
    return this.derive({ labels: [...this.spec.labels, ...requirementsOf(labels)] });
  }

  /** At least one label given must match (server-side when all name one key). */
  withAnyLabel(labels: LabelMatch): this {
    return this.derive({ anyLabels: [...this.spec.anyLabels, requirementsOf(labels)] });
  }

  /** No label given may match (`k!=v`, `k notin (a,b)`; objects without the label match). */
  withoutLabels(labels: LabelMatch): this {
    return this.derive({ labels: [...this.spec.labels, ...requirementsOf(labels, true)] });
  }

  /** A label selector as `kubectl -l` takes it (`app=web,tier!=db`, `env in (a,b)`, `!canary`). */
  withLabelSelector(selector: string): this {
    return this.derive({ labels: [...this.spec.labels, ...parseSelector(selector)] });
  }

  /** A field selector term the API server supports for this kind (`status.phase`, `spec.nodeName`, ...). */
  withField(field: string, value: string, op: '=' | '!=' = '='): this {
    return this.derive({ fields: [...this.spec.fields, { field, op, value }] });
  }

  /** Any check of the typed wrapper; runs here. */
  where(test: (resource: W) => boolean, description = 'where(custom)'): this {
    return this.local(description, test);
  }

  /** Created longer ago than `duration` (ms or `5m`, `1h`, `2d`). */
  olderThan(duration: Duration): this {
    const ms = toMs(duration);
    return this.local(`olderThan(${duration})`, (r) => (r.age ?? 0) > ms);
  }

  /** Created within the last `duration`. */
  newerThan(duration: Duration): this {
    const ms = toMs(duration);
    return this.local(`newerThan(${duration})`, (r) => r.age !== undefined && r.age <= ms);
  }

  /** Ask the API server even when a watch cache covers the query. */
  fresh(): this {
    return this.derive({ fresh: true });
  }

  /** The query in words. */
  describe(): string {
    return describeSpec(this.spec);
  }

  async all(): Promise<ResultList<W>> {
    return ResultList.fromItems((await this.run()).items);
  }

  /** The first match; throws {@link QueryNotFoundError} saying what was searched when there is none. */
  async first(): Promise<W> {
    const run = await this.run(1);
    const [found] = run.items;
    if (found !== undefined) return found;
    const e = run.explanation;
    throw new QueryNotFoundError(
      `No ${this.spec.kind} matched: searched ${this.describe()} (${e.requests} request(s), ${e.objectsTransferred + e.objectsFromCache} object(s) examined). Check the filters with explain(), or list without the last filter.`,
      { details: { kind: this.spec.kind, query: this.describe(), requests: e.requests } },
    );
  }

  /** The first match, or undefined. */
  async firstOrUndefined(): Promise<W | undefined> {
    return (await this.run(1)).items[0];
  }

  async count(): Promise<number> {
    return (await this.run()).items.length;
  }

  /** The fields asked for, one object per match. */
  async pluck<K extends PluckKey<W>>(...fields: K[]): Promise<Plucked<W, K>[]> {
    return (await this.all()).pluck(...fields);
  }

  /** The name and the fields asked for, as an aligned text table. */
  async prettyPluck<K extends PluckKey<W>>(...fields: K[]): Promise<string> {
    return (await this.all()).prettyPluck(...fields);
  }

  /**
   * Runs the query and says how: which filters went to the API server as label and field selectors,
   * which ran here, which lists (or watch caches) were read and what it cost.
   */
  async explain(): Promise<QueryExplanation> {
    return (await this.run()).explanation;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<W> {
    yield* await this.all();
  }

  /** Runs the query (stopping after `take` matches when given). Used by joins and the methods above. */
  async run(take?: number): Promise<QueryRun<W>> {
    if (this.spec.join) {
      const run = await runJoin<W>(
        this.spec,
        this.spec.join,
        this.runtime.settings.joinFanoutLimit,
        (s) => this.#runSpec(s),
        this.describe(),
      );
      run.items.sort(byNamespaceAndName);
      return take === undefined ? run : { ...run, items: run.items.slice(0, take) };
    }
    return this.#runSpec(this.spec, take);
  }

  /** A copy of this query with some of its spec replaced, of the same class. */
  protected derive(patch: Partial<QuerySpec>): this {
    const Class = this.constructor as new (runtime: QueryRuntime, spec: QuerySpec) => this;
    return new Class(this.runtime, { ...this.spec, ...patch });
  }

  protected local(description: string, test: (resource: W) => boolean): this {
    return this.derive({
      predicates: [...this.spec.predicates, { description, test: test as (resource: unknown) => boolean }],
    });
  }

  /** A query of another kind that runs this one, then narrows itself to each result. */
  protected join<K extends KindName>(
    kind: K,
    description: string,
    expand: (parent: W) => JoinTarget | undefined,
  ): KindTypes[K]['query'] {
    return this.runtime.query(kind, {
      join: { parent: this, description, expand: expand as (parent: unknown) => JoinTarget | undefined },
    });
  }

  async #runSpec(spec: QuerySpec, take?: number): Promise<QueryRun<W>> {
    const { context, settings } = this.runtime;
    const plan = planQuery(spec, context.registry, settings);
    const withData = spec.withData;
    const accept = (object: KubeObject): W | undefined => {
      const resource = this.runtime.wrap(spec.kind, object, { withData }) as unknown as W;
      return spec.predicates.every((p) => p.test(resource)) ? resource : undefined;
    };
    const result = await runPlan(plan, {
      client: context.client,
      ref: KINDS[spec.kind].ref,
      pageSize: settings.pageSize,
      accept,
      take,
    });
    if (take === undefined) result.items.sort(byNamespaceAndName);
    return { items: result.items, explanation: explainRun(describeSpec(spec), plan, result) };
  }

  #namespacedOnly(method: string): void {
    if (!KINDS[this.spec.kind].namespaced) {
      throw new InvalidArgumentError(
        `${method}(): ${this.spec.kind} are cluster-scoped and live in no namespace; drop the namespace filter.`,
      );
    }
  }
}
