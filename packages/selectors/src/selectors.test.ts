import { describe, expect, it } from 'vitest';
import {
  formatFieldSelector,
  parseFieldSelector,
  parseLabelSelector,
  readFieldPath,
  SelectorError,
  selectorFromLabelSelectorObject,
} from './index.js';

describe('label selectors', () => {
  it('parse every operator into the canonical form and match own labels only', () => {
    const selector = parseLabelSelector('tier notin (b,a), app==web,!legacy,canary,n>1,m<10');
    expect(selector.toString()).toBe('app==web,canary,!legacy,m<10,n>1,tier notin (a,b)');
    expect(selector.matches({ app: 'web', canary: '', n: '2', m: '9' })).toBe(true);
    expect(parseLabelSelector('constructor').matches({})).toBe(false);
    expect(parseLabelSelector('!toString').matches({})).toBe(true);
  });

  it('refuse what the API server refuses, with its words', () => {
    expect(() => parseLabelSelector('a<x')).toThrow(SelectorError);
    expect(() => parseLabelSelector('app in web')).toThrow(/unable to parse requirement/);
    expect(() => parseLabelSelector('a=1,')).toThrow(/expected: identifier after ','/);
    expect(selectorFromLabelSelectorObject(undefined).matches({})).toBe(false);
    expect(selectorFromLabelSelectorObject({}).matches({})).toBe(true);
  });
});

describe('field selectors', () => {
  it('parse escapes, format them back, and read own properties only', () => {
    const terms = parseFieldSelector('metadata.name=a\\,b,status.phase!=Running');
    expect(terms).toEqual([
      { field: 'metadata.name', op: '=', value: 'a,b' },
      { field: 'status.phase', op: '!=', value: 'Running' },
    ]);
    expect(formatFieldSelector(terms)).toBe('metadata.name=a\\,b,status.phase!=Running');
    expect(() => parseFieldSelector('a=b=c')).toThrow(/unescaped character/);
    expect(readFieldPath({ metadata: { name: 'x' } }, 'metadata.constructor')).toBe('');
    expect(readFieldPath({ metadata: { name: 'x' } }, 'metadata.name')).toBe('x');
  });
});
