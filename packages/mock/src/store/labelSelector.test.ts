import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../kubeApiError.js';
import { parseLabelSelector, selectorFromLabelSelectorObject, selectorFromSet } from './labelSelector.js';

const web = { app: 'web', tier: 'front', 'app.kubernetes.io/name': 'shop' };
const db = { app: 'db', tier: 'back', replicas: '3' };

function parseError(text: string): KubeApiError {
  try {
    parseLabelSelector(text);
  } catch (error) {
    return error as KubeApiError;
  }
  throw new Error(`"${text}" parsed`);
}

describe('parseLabelSelector', () => {
  it('matches everything when empty', () => {
    const selector = parseLabelSelector('');
    expect(selector.isEmpty()).toBe(true);
    expect(selector.matches(web)).toBe(true);
    expect(selector.matches(undefined)).toBe(true);
    expect(parseLabelSelector('  ').isEmpty()).toBe(true);
  });

  it.each([
    ['app=web', true, false],
    ['app==web', true, false],
    ['app!=web', false, true],
    ['app in (web,db)', true, true],
    ['app notin (web)', false, true],
    ['tier', true, true],
    ['!replicas', true, false],
    ['replicas>2', false, true],
    ['replicas<3', false, false],
    ['app.kubernetes.io/name=shop', true, false],
    ['app=web,tier=front', true, false],
    ['app=web,tier=back', false, false],
  ])('%s', (text, matchesWeb, matchesDb) => {
    const selector = parseLabelSelector(text);
    expect(selector.matches(web)).toBe(matchesWeb);
    expect(selector.matches(db)).toBe(matchesDb);
  });

  it('lets != and notin match objects without the label, and = and in not', () => {
    expect(parseLabelSelector('env!=prod').matches({})).toBe(true);
    expect(parseLabelSelector('env notin (prod)').matches(undefined)).toBe(true);
    expect(parseLabelSelector('env=prod').matches({})).toBe(false);
    expect(parseLabelSelector('env in (prod)').matches({})).toBe(false);
  });

  it('tolerates whitespace around every token', () => {
    const selector = parseLabelSelector(' app = web ,\ttier in ( front , back ) , ! gone ');
    expect(selector.matches(web)).toBe(true);
    expect(selector.toString()).toBe('app=web,!gone,tier in (back,front)');
  });

  it('reads an empty value and empty set members', () => {
    expect(parseLabelSelector('app=').matches({ app: '' })).toBe(true);
    expect(parseLabelSelector('app in (,web)').requirements[0]?.values).toEqual(['', 'web']);
    expect(parseLabelSelector('app in ()').requirements[0]?.values).toEqual(['']);
  });

  it('takes the keywords in and notin as keys and values', () => {
    expect(parseLabelSelector('in=notin').matches({ in: 'notin' })).toBe(true);
    expect(parseLabelSelector('x in (in,notin)').requirements[0]?.values).toEqual(['in', 'notin']);
  });

  it('sorts requirements by key and values, and prints them canonically', () => {
    const selector = parseLabelSelector('z notin (b,a,b),a==1,m!=2,k,!j,n>5');
    expect(selector.requirements.map((r) => r.key)).toEqual(['a', 'j', 'k', 'm', 'n', 'z']);
    expect(selector.requirements.at(-1)).toEqual({ key: 'z', operator: 'notin', values: ['a', 'b'] });
    expect(selector.toString()).toBe('a==1,!j,k,m!=2,n>5,z notin (a,b)');
  });

  it('does not match gt or lt against a value that is not an integer', () => {
    expect(parseLabelSelector('replicas>1').matches({ replicas: 'many' })).toBe(false);
  });

  it.each([
    ['app=web,', "found '', expected: identifier after ','"],
    [',app', "found ',', expected: !, identifier, or 'end of string'"],
    ['app=web tier=front', "found 'tier', expected: ',' or 'end of string'"],
    ['app IN (a)', "unable to parse requirement: found 'IN', expected: in, notin, =, ==, !=, gt, lt"],
    ['app in a', "unable to parse requirement: found 'a' expected: '('"],
    ['app in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['app in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['app==(a)', "unable to parse requirement: found '(', expected: identifier"],
    ['!=a', "found '!=', expected: !, identifier, or 'end of string'"],
    ['! =a', "unable to parse requirement: found '=', expected: identifier"],
    ['!a=b', "found '=', expected: ',' or 'end of string'"],
    [
      'replicas>many',
      `unable to parse requirement: values[0]: Invalid value: "many": for 'Gt', 'Lt' operators, the value must be an integer`,
    ],
  ])('rejects %j with a 400 worded like kube-apiserver', (text, message) => {
    const error = parseError(text);
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.code).toBe(400);
    expect(error.reason).toBe('BadRequest');
    expect(error.message).toBe(message);
  });

  it('rejects invalid keys and values with the label rules', () => {
    expect(parseError('a/b/c=d').message).toMatch(
      /^unable to parse requirement: <nil>: Invalid value: "a\/b\/c": a qualified name must consist of/,
    );
    expect(parseError('Bad_Prefix/x').message).toMatch(
      /prefix part a lowercase RFC 1123 subdomain must consist of/,
    );
    expect(parseError(`app=${'v'.repeat(64)}`).message).toMatch(
      /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "v{64}": must be no more than 63 characters$/,
    );
    expect(parseError('app=-web').message).toContain(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  });
});

describe('selectorFromSet', () => {
  it('requires every label of the set', () => {
    const selector = selectorFromSet({ tier: 'front', app: 'web' });
    expect(selector.matches(web)).toBe(true);
    expect(selector.matches({ app: 'web' })).toBe(false);
    expect(selector.toString()).toBe('app=web,tier=front');
    expect(selector.isEmpty()).toBe(false);
  });

  it('matches everything for an empty set', () => {
    const selector = selectorFromSet({});
    expect(selector.isEmpty()).toBe(true);
    expect(selector.matches(undefined)).toBe(true);
  });
});

describe('selectorFromLabelSelectorObject', () => {
  it('combines matchLabels and matchExpressions', () => {
    const selector = selectorFromLabelSelectorObject({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front', 'edge'] },
        { key: 'canary', operator: 'DoesNotExist' },
        { key: 'app.kubernetes.io/name', operator: 'Exists' },
        { key: 'zone', operator: 'NotIn', values: ['b'] },
      ],
    });
    expect(selector.matches(web)).toBe(true);
    expect(selector.matches({ ...web, canary: 'yes' })).toBe(false);
    expect(selector.matches({ ...web, zone: 'b' })).toBe(false);
    expect(selector.toString()).toBe(
      'app=web,app.kubernetes.io/name,!canary,tier in (edge,front),zone notin (b)',
    );
  });

  it('matches everything for {} and nothing for a missing selector, like kube-apiserver', () => {
    expect(selectorFromLabelSelectorObject({}).matches(web)).toBe(true);
    const nothing = selectorFromLabelSelectorObject(undefined);
    expect(nothing.matches(web)).toBe(false);
    expect(nothing.matches(undefined)).toBe(false);
    expect(nothing.isEmpty()).toBe(false);
  });

  it('rejects unknown operators, empty value sets and invalid keys', () => {
    const attempt = (sel: Parameters<typeof selectorFromLabelSelectorObject>[0]) => () =>
      selectorFromLabelSelectorObject(sel);
    expect(attempt({ matchExpressions: [{ key: 'a', operator: 'Gt' as 'In' }] })).toThrow(
      '"Gt" is not a valid label selector operator',
    );
    expect(attempt({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })).toThrow(
      "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty",
    );
    expect(attempt({ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] })).toThrow(
      'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist',
    );
    expect(attempt({ matchLabels: { 'bad key': 'x' } })).toThrow(
      /^key: Invalid value: "bad key": name part must consist of/,
    );
    expect(attempt({ matchLabels: { 'bad key': 'bad value' } })).toThrow(
      /^\[key: Invalid value: "bad key": .*, values\[0\]\[bad key\]: Invalid value: "bad value": .*\]$/,
    );
  });
});
