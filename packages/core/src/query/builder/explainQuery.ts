import type { ExplainedStep, QueryExplanation } from './queryExplanation.js';
import type { QueryPlan } from './queryPlan.js';
import type { RunResult } from './queryRunner.js';

/** How a query ran, from its plan and what running it cost. */
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

/** How a join ran: its parent query and each narrowed child query. */
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
