import { SelectorError } from './selectorError.js';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is read as `=`. */
  readonly op: '=' | '!=';
  /** Unescaped: `a\\,b` in the text is `a,b` here. */
  readonly value: string;
}

const OPERATORS = ['!=', '==', '='] as const;

/**
 * Parses field selector text like kube-apiserver: comma means AND, the operators are `=`, `==` and
 * `!=`, and `\\,`, `\\=` and `\\\\` escape those characters in values. Terms come sorted by their
 * text, as the API server keeps them. Which fields a resource supports is the caller's to check.
 * @throws SelectorError worded like kube-apiserver's 400 for text it cannot parse.
 */
export function parseFieldSelector(text: string): FieldRequirement[] {
  return splitTerms(text)
    .sort()
    .filter((term) => term !== '')
    .map((term) => parseTerm(term, text));
}

/** A value as selector text: `,`, `=` and `\\` escaped. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (ch) => `\\${ch}`);
}

export function formatFieldRequirement(r: FieldRequirement): string {
  return `${r.field}${r.op}${escapeFieldValue(r.value)}`;
}

/** Terms as a field selector (comma = AND), or undefined when there are none. */
export function formatFieldSelector(requirements: readonly FieldRequirement[]): string | undefined {
  return requirements.length === 0 ? undefined : requirements.map(formatFieldRequirement).join(',');
}

/**
 * The value of a dotted path of an object as the API server compares it: own properties only (so
 * `constructor` or `__proto__` never reach the prototype), missing fields and null are `''`.
 */
export function readFieldPath(object: unknown, path: string): string {
  let value: unknown = object;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return '';
    value = (value as Record<string, unknown>)[part];
  }
  return value === undefined || value === null || typeof value === 'object' ? '' : String(value);
}

/** Whether one term holds, given the field's value (`''` when absent). */
export function fieldRequirementMatches(r: FieldRequirement, actual: string): boolean {
  return r.op === '=' ? actual === r.value : actual !== r.value;
}

/** Splits on the commas that no backslash escapes, keeping the escapes for `unescapeValue`. */
function splitTerms(text: string): string[] {
  if (text === '') return [];
  const terms: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === '\\') {
      i += 1;
    } else if (text[i] === ',') {
      terms.push(text.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(text.slice(start));
  return terms;
}

/** Splits at the first operator: fields have no escapes, so `a=b=c` is `a` = `b=c` (then rejected). */
function parseTerm(term: string, text: string): FieldRequirement {
  for (let i = 0; i < term.length; i += 1) {
    const op = OPERATORS.find((candidate) => term.startsWith(candidate, i));
    if (op) {
      return {
        field: term.slice(0, i),
        op: op === '!=' ? '!=' : '=',
        value: unescapeValue(term.slice(i + op.length)),
      };
    }
  }
  throw new SelectorError(`invalid selector: '${text}'; can't understand '${term}'`);
}

function unescapeValue(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i] ?? '';
    if (ch === ',' || ch === '=') {
      // kube-apiserver prints the character's code point here, e.g. 61 for '='.
      throw new SelectorError(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    }
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const escaped = raw[i + 1];
    if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
      throw new SelectorError(`invalid field selector: invalid escape sequence: \\${escaped ?? ''}`);
    }
    value += escaped;
    i += 1;
  }
  return value;
}
