import { InvalidArgumentError } from '../errors.js';

/** One requirement of a label selector, in kube-apiserver's grammar. */
export interface LabelRequirement {
  readonly key: string;
  readonly op: 'in' | 'notin' | 'exists' | '!exists';
  /** Values for `in` / `notin`; empty for the existence operators. */
  readonly values: readonly string[];
}

/** Labels to match: a value, or several (any of them). */
export type LabelMatch = Readonly<Record<string, string | readonly string[]>>;

const valuesOf = (value: string | readonly string[]): readonly string[] =>
  typeof value === 'string' ? [value] : value;

/** `{ app: 'web', tier: ['a', 'b'] }` as requirements: `app in (web)`, `tier in (a,b)`; `notin` for `negate`. */
export function requirementsOf(labels: LabelMatch, negate = false): LabelRequirement[] {
  return Object.entries(labels).map(([key, value]) => {
    const values = valuesOf(value);
    if (values.length === 0) {
      throw new InvalidArgumentError(
        `label "${key}" needs at least one value to match; pass a string or a non-empty array.`,
      );
    }
    return { key, op: negate ? 'notin' : 'in', values };
  });
}

/** One requirement as selector text: `k=v` / `k!=v` for one value, set-based otherwise. */
export function formatRequirement(r: LabelRequirement): string {
  if (r.op === 'exists') return r.key;
  if (r.op === '!exists') return `!${r.key}`;
  const [only] = r.values;
  if (r.values.length === 1 && only !== undefined) return `${r.key}${r.op === 'in' ? '=' : '!='}${only}`;
  return `${r.key} ${r.op} (${r.values.join(',')})`;
}

/** Requirements as a label selector (comma = AND), or undefined when there are none. */
export function formatSelector(requirements: readonly LabelRequirement[]): string | undefined {
  return requirements.length === 0 ? undefined : requirements.map(formatRequirement).join(',');
}

/** Whether `labels` satisfy one requirement; `notin` and `!=` match when the label is absent. */
export function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[r.key];
  switch (r.op) {
    case 'exists':
      return value !== undefined;
    case '!exists':
      return value === undefined;
    case 'in':
      return value !== undefined && r.values.includes(value);
    case 'notin':
      return value === undefined || !r.values.includes(value);
  }
}

/** Splits on commas outside parentheses. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t !== '');
}

/**
 * Parses a label selector as `kubectl -l` takes it: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`, comma = AND. Throws {@link InvalidArgumentError} on anything else.
 */
export function parseSelector(text: string): LabelRequirement[] {
  return splitTerms(text).map((term) => {
    const set = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      return { key: set[1] ?? '', op: set[2] === 'in' ? 'in' : 'notin', values };
    }
    const eq = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (eq) return { key: eq[1] ?? '', op: eq[2] === '!=' ? 'notin' : 'in', values: [eq[3] ?? ''] };
    const exists = /^(!?)([^\s!=(),]+)$/.exec(term);
    if (exists) return { key: exists[2] ?? '', op: exists[1] ? '!exists' : 'exists', values: [] };
    throw new InvalidArgumentError(
      `the label selector "${text}" cannot be parsed at "${term}"; use k=v, k!=v, "k in (a,b)", "k notin (a,b)", k or !k, separated by commas.`,
    );
  });
}

/** A `metav1.LabelSelector` (Deployment, ReplicaSet) as JSON. */
export interface LabelSelectorJson {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

const OPERATORS: Readonly<Record<string, LabelRequirement['op']>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!exists',
};

/** The requirements of a `LabelSelector`; an empty one (matching everything) gives none. */
export function requirementsOfSelector(selector: LabelSelectorJson | undefined): LabelRequirement[] {
  const out: LabelRequirement[] = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => ({
    key,
    op: 'in',
    values: [value],
  }));
  for (const e of selector?.matchExpressions ?? []) {
    const op = OPERATORS[e.operator];
    if (op) out.push({ key: e.key, op, values: e.values ?? [] });
  }
  return out;
}
