import type { KubeObject } from '../../cluster/kubeObject.js';
import { matchesRequirement } from '../labelSelector.js';
import type { KubeResource } from '../resources/kubeResource.js';
import { explainJoin } from './explainQuery.js';
import { matchesField } from './fieldRequirement.js';
import type { JoinSource, JoinTarget, QueryRun, QuerySpec } from './querySpec.js';

/** Runs one non-join spec. */
export type RunSpec<W> = (spec: QuerySpec) => Promise<QueryRun<W>>;

function targetMatches(target: JoinTarget, object: KubeObject): boolean {
  const meta = object.metadata ?? {};
  if (target.namespace !== undefined && meta.namespace !== target.namespace) return false;
  if (target.names && !target.names.includes(meta.name ?? '')) return false;
  const labels = meta.labels ?? {};
  if (target.labels && !target.labels.every((r) => matchesRequirement(r, labels))) return false;
  if (target.fields && !target.fields.every((r) => matchesField(r, object))) return false;
  return target.test ? target.test(object) : true;
}

/** The child spec narrowed to one parent; undefined when the child's own filters exclude it. */
function narrow(spec: QuerySpec, target: JoinTarget): QuerySpec | undefined {
  let namespaces = spec.namespaces;
  if (target.namespace !== undefined) {
    if (namespaces && !namespaces.includes(target.namespace)) return undefined;
    if (spec.excludedNamespaces.includes(target.namespace)) return undefined;
    namespaces = [target.namespace];
  }
  let names = spec.names;
  if (target.names) {
    names = names ? names.filter((n) => target.names?.includes(n)) : target.names;
    if (names.length === 0) return undefined;
  }
  const { test } = target;
  return {
    ...spec,
    namespaces,
    names,
    labels: [...spec.labels, ...(target.labels ?? [])],
    fields: [...spec.fields, ...(target.fields ?? [])],
    predicates: test
      ? [
          ...spec.predicates,
          { description: 'belongs to its parent', test: (r: unknown) => test((r as KubeResource).raw) },
        ]
      : spec.predicates,
  };
}

/**
 * Runs a join: the parent query, then the child query narrowed to each parent (its namespace and
 * selector pushed to the server), one query per parent up to `fanoutLimit`; beyond that, one query
 * over the parents' namespaces with each object matched to a parent here. Results are deduplicated.
 */
export async function runJoin<W extends KubeResource>(
  spec: QuerySpec,
  join: JoinSource,
  fanoutLimit: number,
  runSpec: RunSpec<W>,
  describe: string,
): Promise<QueryRun<W>> {
  const parent = await join.parent.run();
  const targets = parent.items.map((p) => join.expand(p)).filter((t): t is JoinTarget => t !== undefined);
  const base: QuerySpec = { ...spec, join: undefined };
  const notes: string[] = [];
  let specs: QuerySpec[];
  if (targets.length === 0) {
    specs = [];
    notes.push('no parent matched: no child query was sent');
  } else if (targets.length <= fanoutLimit) {
    specs = targets.map((t) => narrow(base, t)).filter((s): s is QuerySpec => s !== undefined);
    notes.push(`${targets.length} parent(s): one child query each (at most joinFanoutLimit ${fanoutLimit})`);
  } else {
    const spaces = targets.map((t) => t.namespace);
    const namespaces = spaces.some((ns) => ns === undefined)
      ? base.namespaces
      : [...new Set(spaces as string[])].filter((ns) => !base.namespaces || base.namespaces.includes(ns));
    specs = [
      {
        ...base,
        namespaces,
        predicates: [
          ...base.predicates,
          {
            description: `belongs to one of ${targets.length} parents`,
            test: (r: unknown) => targets.some((t) => targetMatches(t, (r as KubeResource).raw)),
          },
        ],
      },
    ];
    notes.push(
      `${targets.length} parents (more than joinFanoutLimit ${fanoutLimit}): one child query for all, matched to parents here`,
    );
  }
  const runs = await Promise.all(specs.map((s) => runSpec(s)));
  const seen = new Set<string>();
  const items: W[] = [];
  for (const run of runs) {
    for (const item of run.items) {
      const key = item.uid ?? `${item.namespace}/${item.name}`;
      if (seen.has(key)) continue;
      seen.add(key);
      items.push(item);
    }
  }
  const explanation = explainJoin(
    describe,
    join.description,
    parent.explanation,
    runs.map((r) => r.explanation),
    notes,
    items.length,
  );
  return { items, explanation };
}
