import { labelKeyErrors, labelValueErrors } from './labelRules.js';
import { SelectorError } from './selectorError.js';

const badRequest = (message: string): SelectorError => new SelectorError(message);

/** The operators of kube-apiserver's `selection.Operator`, spelled as it spells them. */
export type LabelOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  readonly key: string;
  readonly operator: LabelOperator;
  /** Sorted and free of duplicates; empty for `exists` and `!`. */
  readonly values: readonly string[];
}

export interface LabelSelector {
  /** Sorted by key, as kube-apiserver sorts them. */
  readonly requirements: readonly LabelRequirement[];
  matches(labels: Record<string, string> | undefined): boolean;
  /** The canonical text form: `app=web,tier in (back,front)`. */
  toString(): string;
  /** True when the selector does not restrict anything (it matches every object). */
  isEmpty(): boolean;
}

/**
 * Parses a label selector (`labelSelector=` of a list or watch) with kube-apiserver's grammar: comma
 * means AND; `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>1`, `k<1`. `!=` and
 * `notin` match objects that lack the label. Empty text matches everything.
 * @throws SelectorError worded like kube-apiserver's 400 BadRequest (`unable to parse requirement: ...`).
 */
export function parseLabelSelector(text: string): LabelSelector {
  return selectorOf(new SelectorParser(tokenize(text)).parse());
}

/**
 * A selector that requires every label of `set` (a Service's `spec.selector`). An empty set matches
 * everything, as for list queries: a Service with an empty selector manages no endpoints, and its
 * caller must check for that case itself.
 */
export function selectorFromSet(set: Record<string, string>): LabelSelector {
  return selectorOf(Object.entries(set).map(([key, value]) => ({ key, operator: '=', values: [value] })));
}

export interface LabelSelectorObject {
  matchLabels?: Record<string, string>;
  matchExpressions?: {
    key: string;
    operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
    values?: string[];
  }[];
}

/**
 * The selector of a `metav1.LabelSelector` (a Deployment's or ReplicaSet's `spec.selector`). Like
 * kube-apiserver, a missing selector matches nothing and an empty one (`{}`) matches everything.
 * @throws SelectorError for an invalid key, value or operator.
 */
export function selectorFromLabelSelectorObject(sel: LabelSelectorObject | undefined): LabelSelector {
  if (!sel) return NOTHING;
  const fromLabels = Object.entries(sel.matchLabels ?? {}).map(([key, value]) =>
    checkedRequirement(key, '=', [value], badRequest),
  );
  const fromExpressions = (sel.matchExpressions ?? []).map((expr) =>
    checkedRequirement(
      expr.key,
      operatorOf(expr.operator),
      [...new Set(expr.values ?? [])].sort(),
      badRequest,
    ),
  );
  return selectorOf([...fromLabels, ...fromExpressions]);
}

const EXPRESSION_OPERATORS: Readonly<Record<string, LabelOperator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

function operatorOf(operator: string): LabelOperator {
  const op = EXPRESSION_OPERATORS[operator];
  if (!op) throw badRequest(`${JSON.stringify(operator)} is not a valid label selector operator`);
  return op;
}

const NOTHING: LabelSelector = Object.freeze({
  requirements: [],
  matches: () => false,
  toString: () => '',
  isEmpty: () => false,
});

function selectorOf(requirements: LabelRequirement[]): LabelSelector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return Object.freeze({
    requirements: sorted,
    matches: (labels: Record<string, string> | undefined) =>
      sorted.every((r) => labelRequirementMatches(r, labels ?? {})),
    toString: () => sorted.map(requirementToString).join(','),
    isEmpty: () => sorted.length === 0,
  });
}

export function labelRequirementMatches(
  { key, operator, values }: LabelRequirement,
  labels: Record<string, string>,
): boolean {
  const value = Object.hasOwn(labels, key) ? labels[key] : undefined;
  switch (operator) {
    case '=':
    case '==':
    case 'in':
      return value !== undefined && values.includes(value);
    case '!=':
    case 'notin':
      return value === undefined || !values.includes(value);
    case 'exists':
      return value !== undefined;
    case '!':
      return value === undefined;
    case 'gt':
    case 'lt':
      return value !== undefined && compareIntegers(value, values[0] ?? '', operator);
  }
}

const INTEGER = /^[+-]?\d+$/;

function compareIntegers(labelValue: string, bound: string, operator: 'gt' | 'lt'): boolean {
  if (!INTEGER.test(labelValue) || !INTEGER.test(bound)) return false;
  const a = BigInt(labelValue);
  const b = BigInt(bound);
  return operator === 'gt' ? a > b : a < b;
}

const OPERATOR_TEXT: Readonly<Record<LabelOperator, string>> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

function requirementToString({ key, operator, values }: LabelRequirement): string {
  if (operator === 'exists') return key;
  if (operator === '!') return `!${key}`;
  const list = values.join(',');
  return `${key}${OPERATOR_TEXT[operator]}${operator === 'in' || operator === 'notin' ? `(${list})` : list}`;
}

/**
 * kube-apiserver's `NewRequirement`: a valid key, valid values and the right number of them.
 * `fail` turns the problems, joined as Go joins an error aggregate, into the error to throw.
 */
function checkedRequirement(
  key: string,
  operator: LabelOperator,
  values: string[],
  fail: (detail: string) => SelectorError,
): LabelRequirement {
  const problems = [...keyProblems(key, 'key'), ...valueCountProblems(operator, values)];
  values.forEach((value, i) => {
    const errors = labelValueErrors(value);
    if (errors.length) {
      problems.push(`values[${i}][${key}]: Invalid value: ${JSON.stringify(value)}: ${errors.join('; ')}`);
    }
  });
  if (problems.length > 1) throw fail(`[${problems.join(', ')}]`);
  if (problems[0] !== undefined) throw fail(problems[0]);
  return { key, operator, values };
}

/** `field` is the path kube-apiserver names: `key` in a selector object, `<nil>` in selector text. */
function keyProblems(key: string, field: string): string[] {
  const errors = labelKeyErrors(key);
  return errors.length ? [`${field}: Invalid value: ${JSON.stringify(key)}: ${errors.join('; ')}`] : [];
}

function valueCountProblems(operator: LabelOperator, values: string[]): string[] {
  const shown = `[]string{${values.map((v) => JSON.stringify(v)).join(', ')}}`;
  switch (operator) {
    case 'in':
    case 'notin':
      return values.length === 0
        ? [`values: Invalid value: ${shown}: for 'in', 'notin' operators, values set can't be empty`]
        : [];
    case '=':
    case '==':
    case '!=':
      return values.length === 1
        ? []
        : [`values: Invalid value: ${shown}: exact-match compatibility requires one single value`];
    case 'exists':
    case '!':
      return values.length === 0
        ? []
        : [`values: Invalid value: ${shown}: values set must be empty for exists and does not exist`];
    case 'gt':
    case 'lt':
      return values.length !== 1
        ? [`values: Invalid value: ${shown}: for 'Gt', 'Lt' operators, exactly one value is required`]
        : values
            .filter((v) => !INTEGER.test(v))
            .map(
              (v) =>
                `values[0]: Invalid value: ${JSON.stringify(v)}: for 'Gt', 'Lt' operators, the value must be an integer`,
            );
  }
}

type TokenKind =
  | 'identifier'
  | 'end'
  | ','
  | '('
  | ')'
  | '!'
  | '='
  | '=='
  | '!='
  | '>'
  | '<'
  | 'in'
  | 'notin';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

const END: Token = { kind: 'end', text: '' };

const SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

/** Splits selector text into tokens the way kube-apiserver's lexer does. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const ch = text[pos] ?? '';
    if (WHITESPACE.has(ch)) {
      pos += 1;
    } else if (SYMBOLS.has(ch)) {
      const pair = text.slice(pos, pos + 2);
      const symbol = pair === '==' || pair === '!=' ? pair : ch;
      tokens.push({ kind: symbol as TokenKind, text: symbol });
      pos += symbol.length;
    } else {
      const start = pos;
      while (pos < text.length && !SYMBOLS.has(text[pos] ?? '') && !WHITESPACE.has(text[pos] ?? '')) pos += 1;
      const word = text.slice(start, pos);
      tokens.push({ kind: word === 'in' || word === 'notin' ? word : 'identifier', text: word });
    }
  }
  tokens.push(END);
  return tokens;
}

const BINARY_OPERATORS: Readonly<Partial<Record<TokenKind, LabelOperator>>> = {
  in: 'in',
  notin: 'notin',
  '=': '=',
  '==': '==',
  '!=': '!=',
  '>': 'gt',
  '<': 'lt',
};

function unparsable(detail: string): SelectorError {
  return badRequest(`unable to parse requirement: ${detail}`);
}

/** A recursive-descent parser over tokens, with kube-apiserver's error messages. */
class SelectorParser {
  #position = 0;

  constructor(private readonly tokens: Token[]) {}

  parse(): LabelRequirement[] {
    const requirements: LabelRequirement[] = [];
    for (;;) {
      const next = this.#peek();
      if (next.kind === 'end') return requirements;
      if (next.kind !== 'identifier' && next.kind !== '!') {
        throw badRequest(`found '${next.text}', expected: !, identifier, or 'end of string'`);
      }
      requirements.push(this.#requirement());
      const separator = this.#next();
      if (separator.kind === 'end') return requirements;
      if (separator.kind !== ',') {
        throw badRequest(`found '${separator.text}', expected: ',' or 'end of string'`);
      }
      const following = this.#peek();
      if (following.kind !== 'identifier' && following.kind !== '!') {
        throw badRequest(`found '${following.text}', expected: identifier after ','`);
      }
    }
  }

  #requirement(): LabelRequirement {
    let token = this.#next();
    const negated = token.kind === '!';
    if (negated) token = this.#next();
    if (token.kind !== 'identifier') throw unparsable(`found '${token.text}', expected: identifier`);
    const key = token.text;
    const [keyProblem] = keyProblems(key, '<nil>');
    if (keyProblem) throw unparsable(keyProblem);
    if (negated) return checkedRequirement(key, '!', [], unparsable);
    const after = this.#peek().kind;
    if (after === 'end' || after === ',') return checkedRequirement(key, 'exists', [], unparsable);
    const operator = this.#operator();
    const values = operator === 'in' || operator === 'notin' ? this.#valueSet() : [this.#exactValue()];
    return checkedRequirement(key, operator, values, unparsable);
  }

  #operator(): LabelOperator {
    const token = this.tokens[this.#position] ?? END;
    this.#position += 1;
    const operator = BINARY_OPERATORS[token.kind];
    if (!operator) throw unparsable(`found '${token.text}', expected: in, notin, =, ==, !=, gt, lt`);
    return operator;
  }

  #valueSet(): string[] {
    const open = this.#next();
    if (open.kind !== '(') throw unparsable(`found '${open.text}' expected: '('`);
    const first = this.#peek();
    if (first.kind === ')') {
      this.#next();
      return [''];
    }
    if (first.kind !== 'identifier' && first.kind !== ',') {
      throw unparsable(`found '${first.text}', expected: ',', ')' or identifier`);
    }
    const values = this.#identifierList();
    this.#next();
    return [...values].sort();
  }

  /** A comma-separated list in which empty items are empty strings: `(a,,b)`, `(,a)`, `(a,)`. */
  #identifierList(): Set<string> {
    const values = new Set<string>();
    for (;;) {
      const token = this.#next();
      if (token.kind === 'identifier') {
        values.add(token.text);
        const after = this.#peek();
        if (after.kind === ')') return values;
        if (after.kind !== ',') throw unparsable(`found '${after.text}', expected: ',' or ')'`);
      } else if (token.kind === ',') {
        if (values.size === 0) values.add('');
        const after = this.#peek().kind;
        if (after === ',' || after === ')') values.add('');
        if (after === ')') return values;
      } else {
        throw unparsable(`found '${token.text}', expected: ',', or identifier`);
      }
    }
  }

  #exactValue(): string {
    const after = this.#peek().kind;
    if (after === 'end' || after === ',') return '';
    const token = this.#next();
    if (token.kind !== 'identifier') throw unparsable(`found '${token.text}', expected: identifier`);
    return token.text;
  }

  /** The next token, where the keywords `in` and `notin` may also be keys and values. */
  #peek(): Token {
    const token = this.tokens[this.#position] ?? END;
    return token.kind === 'in' || token.kind === 'notin' ? { kind: 'identifier', text: token.text } : token;
  }

  #next(): Token {
    const token = this.#peek();
    this.#position += 1;
    return token;
  }
}
