import { badRequest } from '../kubeApiError.js';
import type { KubeObject } from '../types.js';
import { type ResourceType, readField, supportsField } from './resources.js';

export interface FieldRequirement {
  readonly field: string;
  /** `==` is read as `=`. */
  readonly op: '=' | '!=';
  /** Unescaped: `a\,b` in the text is `a,b` here. */
  readonly value: string;
}

export interface FieldSelector {
  /** In the order kube-apiserver keeps them: sorted by their text. */
  readonly requirements: readonly FieldRequirement[];
  matches(obj: KubeObject): boolean;
}

const OPERATORS = ['!=', '==', '='] as const;

/**
 * Parses a field selector (`fieldSelector=` of a list or watch) for one resource type, like
 * kube-apiserver: comma means AND, the operators are `=`, `==` and `!=`, and `\,`, `\=` and `\\`
 * escape those characters in values. A field the object lacks reads as the empty string.
 * @throws KubeApiError 400 BadRequest for text it cannot parse, and `field label not supported: <field>`
 * for a field `rt` does not support.
 */
export function parseFieldSelector(text: string, rt: ResourceType): FieldSelector {
  const requirements = splitTerms(text)
    .sort()
    .filter((term) => term !== '')
    .map((term) => parseTerm(term, text));
  const unsupported = requirements.find((r) => !supportsField(rt, r.field));
  if (unsupported) throw badRequest(`field label not supported: ${unsupported.field}`);
  return Object.freeze({
    requirements,
    matches: (obj: KubeObject) => requirements.every((r) => requirementMatches(rt, obj, r)),
  });
}

function requirementMatches(
  rt: ResourceType,
  obj: KubeObject,
  { field, op, value }: FieldRequirement,
): boolean {
  const actual = readField(rt, obj, field) ?? '';
  return op === '=' ? actual === value : actual !== value;
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
  throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
}

function unescapeValue(raw: string): string {
  let value = '';
  for (let i = 0; i < raw.length; i += 1) {
    const ch = raw[i] ?? '';
    if (ch === ',' || ch === '=') {
      // kube-apiserver prints the character's code point here, e.g. 61 for '='.
      throw badRequest(`invalid field selector: unescaped character in value: ${ch.codePointAt(0)}`);
    }
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const escaped = raw[i + 1];
    if (escaped !== '\\' && escaped !== ',' && escaped !== '=') {
      throw badRequest(`invalid field selector: invalid escape sequence: \\${escaped ?? ''}`);
    }
    value += escaped;
    i += 1;
  }
  return value;
}
