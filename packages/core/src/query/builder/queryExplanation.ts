import type { QueryPlan } from './queryPlan.js';
import type { RunResult } from './queryRunner.js';

/** One list a query read, as `explain()` reports it. */
export interface ExplainedStep {
  readonly source: 'api' | 'watch-cache';
  /** Undefined: every namespace (or a cluster-scoped kind). */
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
  /** The first request sent (path and query), for API steps. */
  readonly request: string | undefined;
  readonly requests: number;
  readonly objects: number;
}

/** How a query ran: what the API server filtered, what ran here, and what it cost. */
export interface QueryExplanation {
  /** The query in words. */
  readonly query: string;
  readonly steps: readonly ExplainedStep[];
  /** Selectors sent to the API server. */
  readonly serverSide: {
    readonly labelSelector: string | undefined;
    readonly fieldSelector: string | undefined;
  };
  /** Filters that ran here, by description. */
  readonly local: readonly string[];
  readonly notes: readonly string[];
  /** Requests sent, every page and the parents of joins included. */
  readonly requests: number;
  readonly objectsTransferred: number;
  readonly objectsFromCache: number;
  readonly matched: number;
  /** For joins: how the parent query ran, and each narrowed child query. */
  readonly join?: {
    readonly description: string;
    readonly parent: QueryExplanation;
    readonly queries: readonly QueryExplanation[];
  };
  /** The same as indented text. */
  readonly text: string;
}

export function explainRun(query: string, plan: QueryPlan, run: RunResult<unknown>): QueryExplanation {
  const base = {
    query,
    steps: run.steps.map(
      (s): ExplainedStep => ({
        source: s.step.source === 'cache' ? 'watch-cache' : 'api',
        namespace: s.step.namespace,
        labelSelector: s.step.labelSelector,
        fieldSelector: s.step.fieldSelector,
        request: s.request,
        requests: s.requests,
        objects: s.objects,
      }),
    ),
    serverSide: { labelSelector: plan.labelSelector, fieldSelector: plan.fieldSelector },
    local: plan.local,
    notes: plan.notes,
    ...run.stats,
    matched: run.items.length,
  };
  return { ...base, text: explanationText(base) };
}

export function explainJoin(
  query: string,
  description: string,
  parent: QueryExplanation,
  queries: readonly QueryExplanation[],
  notes: readonly string[],
  matched: number,
): QueryExplanation {
  const sum = (key: 'requests' | 'objectsTransferred' | 'objectsFromCache'): number =>
    parent[key] + queries.reduce((total, q) => total + q[key], 0);
  const base = {
    query,
    steps: [],
    serverSide: { labelSelector: undefined, fieldSelector: undefined },
    local: [],
    notes,
    requests: sum('requests'),
    objectsTransferred: sum('objectsTransferred'),
    objectsFromCache: sum('objectsFromCache'),
    matched,
    join: { description, parent, queries },
  };
  return { ...base, text: explanationText(base) };
}

const indent = (text: string): string =>
  text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');

function explanationText(e: Omit<QueryExplanation, 'text'>): string {
  const lines = [`query: ${e.query}`];
  if (e.join) {
    lines.push(`join: ${e.join.description}`, '  parent:', indent(e.join.parent.text));
    for (const [i, q] of e.join.queries.entries()) {
      lines.push(`  child query ${i + 1} of ${e.join.queries.length}:`, indent(q.text));
    }
  } else {
    lines.push(
      `server-side: label selector ${e.serverSide.labelSelector ?? '(none)'}; field selector ${e.serverSide.fieldSelector ?? '(none)'}`,
      `local: ${e.local.length > 0 ? e.local.join('; ') : '(nothing)'}`,
    );
    e.steps.forEach((s, i) => {
      const where = s.namespace === undefined ? 'all namespaces' : `namespace ${s.namespace}`;
      lines.push(
        s.source === 'api'
          ? `step ${i + 1}: GET ${s.request ?? ''} (${where}): ${s.requests} request(s), ${s.objects} object(s)`
          : `step ${i + 1}: watch cache (${where}): 0 requests, ${s.objects} cached object(s)`,
      );
    });
  }
  for (const note of e.notes) lines.push(`note: ${note}`);
  lines.push(
    `total: ${e.requests} request(s), ${e.objectsTransferred} object(s) transferred, ${e.objectsFromCache} read from watch caches, ${e.matched} matched`,
  );
  return lines.join('\n');
}
