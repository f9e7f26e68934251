import { describe, expect, it } from 'vitest';
import { applyMergePatch } from './mergePatch.js';

describe('applyMergePatch', () => {
  it('merges objects, deletes on null and replaces lists and scalars', () => {
    const doc = { a: { b: 1, c: 2 }, list: [1, 2], keep: 'x' };
    expect(applyMergePatch(doc, { a: { b: null, d: { e: null, f: 3 } }, list: [3], keep: 'y' })).toEqual({
      a: { c: 2, d: { f: 3 } },
      list: [3],
      keep: 'y',
    });
    expect(doc).toEqual({ a: { b: 1, c: 2 }, list: [1, 2], keep: 'x' });
  });

  it('replaces the document with a patch that is not an object', () => {
    expect(applyMergePatch({ a: 1 }, ['x'])).toEqual(['x']);
    expect(applyMergePatch({ a: 1 }, null)).toBe(null);
    expect(applyMergePatch('text', { a: 1 })).toEqual({ a: 1 });
  });

  it('returns a document that shares nothing with its inputs', () => {
    const doc = { metadata: { labels: { a: 'b' } } };
    const result = applyMergePatch(doc, { spec: { list: [1] } }) as typeof doc;
    result.metadata.labels.a = 'changed';
    expect(doc.metadata.labels.a).toBe('b');
  });
});
