import { describe, expect, it } from 'vitest';
import { KubeApiError } from '../../kubeApiError.js';
import { applyJsonPatch } from './jsonPatch.js';

function thrown(action: () => unknown): KubeApiError {
  try {
    action();
  } catch (error) {
    return error as KubeApiError;
  }
  throw new Error('nothing was thrown');
}

describe('applyJsonPatch', () => {
  const doc = {
    metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x', 'a~b': 'y' } },
    items: [1, 2, 3],
  };

  it('applies add, remove, replace, move, copy and test in order', () => {
    const result = applyJsonPatch(doc, [
      { op: 'test', path: '/metadata/name', value: 'a' },
      { op: 'add', path: '/metadata/labels/tier', value: 'front' },
      { op: 'replace', path: '/metadata/name', value: 'b' },
      { op: 'remove', path: '/metadata/labels/app.kubernetes.io~1name' },
      { op: 'move', from: '/metadata/labels/a~0b', path: '/metadata/labels/moved' },
      { op: 'copy', from: '/items', path: '/copy' },
      { op: 'add', path: '/items/-', value: 4 },
      { op: 'add', path: '/items/0', value: 0 },
      { op: 'remove', path: '/items/1' },
      { op: 'replace', path: '/items/0', value: { deep: [true] } },
    ]);
    expect(result).toEqual({
      metadata: { name: 'b', labels: { tier: 'front', moved: 'y' } },
      items: [{ deep: [true] }, 2, 3, 4],
      copy: [1, 2, 3],
    });
  });

  it('never changes its inputs, nor shares values with them', () => {
    const before = structuredClone(doc);
    const value = { nested: ['x'] };
    const ops = [{ op: 'add', path: '/value', value }];
    const result = applyJsonPatch(doc, ops) as { value: { nested: string[] }; metadata: object };
    expect(doc).toEqual(before);
    result.value.nested.push('y');
    expect(value.nested).toEqual(['x']);
    expect(result.metadata).not.toBe(doc.metadata);
  });

  it('replaces the whole document for the empty path', () => {
    expect(applyJsonPatch(doc, [{ op: 'replace', path: '', value: [1] }])).toEqual([1]);
    expect(applyJsonPatch(doc, [{ op: 'add', path: '', value: 'x' }])).toBe('x');
  });

  it('sets null values and compares deeply in test', () => {
    expect(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '/a', value: null }])).toEqual({ a: null });
    expect(
      applyJsonPatch(doc, [{ op: 'test', path: '/metadata', value: structuredClone(doc.metadata) }]),
    ).toEqual(doc);
  });

  it.each([
    [
      { op: 'replace', path: '/metadata/missing', value: 1 },
      'replace operation does not apply: doc is missing path: /metadata/missing: missing value',
    ],
    [
      { op: 'remove', path: '/nope/deeper' },
      'remove operation does not apply: doc is missing path: /nope/deeper: missing value',
    ],
    [
      { op: 'add', path: '/nope/deeper', value: 1 },
      'add operation does not apply: doc is missing path: /nope/deeper: missing value',
    ],
    [{ op: 'add', path: '/items/9', value: 1 }, 'add operation does not apply: index out of range: /items/9'],
    [
      { op: 'add', path: '/items/01', value: 1 },
      'add operation does not apply: index out of range: /items/01',
    ],
    [
      { op: 'remove', path: '/items/3' },
      'remove operation does not apply: doc is missing path: /items/3: missing value',
    ],
    [
      { op: 'move', from: '/gone', path: '/x' },
      'move operation does not apply: doc is missing from: /gone: missing value',
    ],
    [
      { op: 'move', from: '/metadata', path: '/metadata/labels/x' },
      'move operation does not apply: /metadata cannot move into its own child /metadata/labels/x',
    ],
    [
      { op: 'copy', from: '/gone', path: '/x' },
      'copy operation does not apply: doc is missing from: /gone: missing value',
    ],
    [{ op: 'test', path: '/metadata/name', value: 'z' }, 'testing value /metadata/name failed: test failed'],
    [
      { op: 'test', path: '/gone', value: 1 },
      'test operation does not apply: doc is missing path: /gone: missing value',
    ],
    [{ op: 'remove', path: '' }, 'remove operation does not apply: cannot remove the document'],
  ])('answers 422 Invalid when %j does not apply', (op, message) => {
    const error = thrown(() => applyJsonPatch(doc, [op]));
    expect(error).toBeInstanceOf(KubeApiError);
    expect(error.code).toBe(422);
    expect(error.reason).toBe('Invalid');
    expect(error.message).toBe(message);
  });

  it.each([
    [
      { op: 'add', path: '/a', value: 1 },
      'a JSON patch must be a list of operations, such as [{"op":"add","path":"/a","value":1}]',
    ],
    [['add'], 'JSON patch operation 0 is not an object'],
    [
      [{ op: 'merge', path: '/a' }],
      'JSON patch operation 0 has op "merge"; use add, remove, replace, move, copy or test',
    ],
    [
      [{ path: '/a', value: 1 }],
      'JSON patch operation 0 has op undefined; use add, remove, replace, move, copy or test',
    ],
    [[{ op: 'add', path: '/a' }], 'JSON patch operation 0 (add) has no "value"'],
    [[{ op: 'remove' }], 'JSON patch operation 0 (remove): "path" must be a string'],
    [
      [{ op: 'remove', path: 'a' }],
      'JSON patch operation 0 (remove): "path" "a" is not a JSON pointer: it must be empty or start with "/"',
    ],
    [
      [{ op: 'remove', path: '/a~2' }],
      'JSON patch operation 0 (remove): "path" "/a~2" has a bad escape: write "~" as ~0 and "/" as ~1',
    ],
    [[{ op: 'copy', path: '/a' }], 'JSON patch operation 0 (copy): "from" must be a string'],
  ])('answers 400 BadRequest for the malformed patch %j', (ops, message) => {
    const error = thrown(() => applyJsonPatch(doc, ops));
    expect(error.code).toBe(400);
    expect(error.reason).toBe('BadRequest');
    expect(error.message).toBe(message);
  });

  it('applies nothing when a later operation fails', () => {
    const before = structuredClone(doc);
    thrown(() =>
      applyJsonPatch(doc, [
        { op: 'remove', path: '/items' },
        { op: 'remove', path: '/gone' },
      ]),
    );
    expect(doc).toEqual(before);
  });
});
