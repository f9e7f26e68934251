import {
  type LabelRequirement as ApiRequirement,
  type LabelOperator,
  labelRequirementMatches,
  parseLabelSelector,
  SelectorError,
} from '@kubesmart/selectors';
import { InvalidArgumentError } from '../errors.js';

/** One requirement of a label selector, in kube-apiserver's grammar. */
export interface LabelRequirement {
  readonly key: string;
  readonly op: 'in' | 'notin' | 'exists' | '!exists' | 'gt' | 'lt';
  /** Values for `in` / `notin`, one integer for `gt` / `lt`; empty for the existence operators. */
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
  if (r.op === 'gt' || r.op === 'lt') return `${r.key}${r.op === 'gt' ? '>' : '<'}${r.values[0] ?? ''}`;
  const [only] = r.values;
  if (r.values.length === 1 && only !== undefined) return `${r.key}${r.op === 'in' ? '=' : '!='}${only}`;
  return `${r.key} ${r.op} (${r.values.join(',')})`;
}

/** Requirements as a label selector (comma = AND), or undefined when there are none. */
export function formatSelector(requirements: readonly LabelRequirement[]): string | undefined {
  return requirements.length === 0 ? undefined : requirements.map(formatRequirement).join(',');
}

const API_OPERATORS: Readonly<Record<LabelRequirement['op'], LabelOperator>> = {
  in: 'in',
  notin: 'notin',
  exists: 'exists',
  '!exists': '!',
  gt: 'gt',
  lt: 'lt',
};

const FROM_API: Readonly<Record<LabelOperator, LabelRequirement['op']>> = {
  '=': 'in',
  '==': 'in',
  in: 'in',
  '!=': 'notin',
  notin: 'notin',
  exists: 'exists',
  '!': '!exists',
  gt: 'gt',
  lt: 'lt',
};

/**
 * Whether `labels` satisfy one requirement, by the API server's rules (@kubesmart/selectors): `notin`
 * and `!=` match when the label is absent, only own properties are labels.
 */
export function matchesRequirement(r: LabelRequirement, labels: Readonly<Record<string, string>>): boolean {
  const api: ApiRequirement = { key: r.key, operator: API_OPERATORS[r.op], values: r.values };
  return labelRequirementMatches(api, labels);
}

/**
 * Parses a label selector with the API server's grammar (@kubesmart/selectors, the one the emulator
 * serves): `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`, comma =
 * AND. Throws {@link InvalidArgumentError} with the API server's reason for anything it refuses.
 */
export function parseSelector(text: string): LabelRequirement[] {
  try {
    return parseLabelSelector(text).requirements.map((r) => ({
      key: r.key,
      op: FROM_API[r.operator],
      values: r.values,
    }));
  } catch (error) {
    if (!(error instanceof SelectorError)) throw error;
    throw new InvalidArgumentError(
      `the label selector ${JSON.stringify(text)} is invalid: ${error.message}. Use k=v, k!=v, "k in (a,b)", ` +
        '"k notin (a,b)", k, !k, k>1 or k<1, separated by commas.',
      { cause: error },
    );
  }
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
