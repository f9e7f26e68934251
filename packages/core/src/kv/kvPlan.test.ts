import { describe, expect, it } from 'vitest';
import { KvValueTooLargeError } from '../errors.js';
import { backendAdapter } from './kvBackend.js';
import { createCodec } from './kvCodec.js';
import { assertKey } from './kvKey.js';
import { compareVersions, ownCopyIsNewer } from './kvOverlay.js';
import { type KeyChange, plan } from './kvPlan.js';
import { BUCKET_LABEL, buildView, SEALED_ANNOTATION, SHARD_ANNOTATION, toShard } from './kvShards.js';

const adapter = backendAdapter('configmap');
const ctx = { bucket: 'b', adapter, maxObjectBytes: 20 };

function cm(
  name: string,
  data: Record<string, string>,
  rv: string,
  extra: { shard?: number; sealed?: boolean } = {},
) {
  const annotations: Record<string, string> = {};
  if (extra.shard !== undefined) annotations[SHARD_ANNOTATION] = String(extra.shard);
  if (extra.sealed) annotations[SEALED_ANNOTATION] = 'true';
  return {
    metadata: { name, namespace: 'ns', resourceVersion: rv, labels: { [BUCKET_LABEL]: 'b' }, annotations },
    data,
  };
}
const view = (...objects: ReturnType<typeof cm>[]) =>
  buildView(objects, 'b', (o, i) => toShard(o, i, adapter));
const put = (key: string, text: string): KeyChange => ({ key, decide: () => ({ text }) });

describe('the bucket view', () => {
  it('chains object 0, then <bucket>-1, -2 ... by label and annotation, stopping at a gap', () => {
    const v = view(
      cm('b', { a: '1' }, '5', { sealed: true }),
      cm('b-1', { c: '3' }, '7', { shard: 1 }),
      cm('b-3', { z: '' }, '8', { shard: 3 }),
    );
    expect(v.shards.map((s) => [s.name, s.index, s.sealed])).toEqual([
      ['b', 0, true],
      ['b-1', 1, false],
    ]);
    const stranger = {
      metadata: { name: 'b-2', namespace: 'ns', annotations: { [SHARD_ANNOTATION]: '2' } },
      data: {},
    };
    expect(buildView([stranger], 'b', (o, i) => toShard(o, i, adapter)).shards).toEqual([]);
  });
});

describe('plan', () => {
  it('writes existing keys where they are and new keys into the unsealed object', () => {
    const v = view(cm('b', { a: '1' }, '5', { sealed: true }), cm('b-1', { c: '3' }, '7', { shard: 1 }));
    const p = plan(v, [put('a', '2'), put('new', 'x')], ctx);
    expect(p.kind).toBe('write');
    if (p.kind !== 'write') return;
    expect(p.writes.map((w) => [w.shard?.name, w.keys])).toEqual([
      ['b', ['a']],
      ['b-1', ['new']],
    ]);
  });

  it('grows when a new key does not fit the unsealed object, and refuses a key that outgrows its object', () => {
    const v = view(cm('b', { a: '123456789' }, '5'));
    expect(plan(v, [put('k', '1234567890')], ctx)).toMatchObject({ kind: 'grow', nextIndex: 1 });
    expect(() => plan(v, [put('a', 'x'.repeat(20))], ctx)).toThrow(KvValueTooLargeError);
    expect(plan(view(cm('b', {}, '1', { sealed: true })), [put('n', 'v')], ctx)).toMatchObject({
      kind: 'grow',
      seal: undefined,
    });
  });

  it('leaves unchanged values and absent deletes alone', () => {
    const v = view(cm('b', { a: '1' }, '5'));
    const p = plan(v, [put('a', '1'), { key: 'gone', decide: () => null }], ctx);
    expect(p).toMatchObject({ kind: 'write', writes: [], unchanged: [{ key: 'a' }, { key: 'gone' }] });
  });
});

describe('keys, codecs and versions', () => {
  it('accepts ConfigMap keys and refuses the rest', () => {
    for (const key of ['a', 'A-b_c.d', '.hidden', 'x'.repeat(253)])
      expect(() => assertKey(key, 'b')).not.toThrow();
    for (const key of ['', '.', '..', '..x', 'a/b', 'é', 'x'.repeat(254), 7])
      expect(() => assertKey(key, 'b')).toThrow();
  });

  it('never quotes a stored value in a decode error', () => {
    const codec = createCodec<unknown>('json', 'b');
    expect(() => codec.decode({ text: 'hunter2-secret' }, 'k')).toThrow(/not valid JSON/);
    expect(() => codec.decode({ text: 'hunter2-secret' }, 'k')).not.toThrow(/hunter2/);
  });

  it('compares decimal resourceVersions and trusts the cache otherwise', () => {
    expect(compareVersions('9', '10')).toBeLessThan(0);
    expect(compareVersions('10', '10')).toBe(0);
    expect(compareVersions('abc', '10')).toBeUndefined();
    const mine = { metadata: { resourceVersion: '12' } };
    expect(ownCopyIsNewer(mine, { metadata: { resourceVersion: '11' } }, () => '11')).toBe(true);
    expect(ownCopyIsNewer(mine, { metadata: { resourceVersion: '12' } }, () => '12')).toBe(false);
    expect(ownCopyIsNewer(mine, undefined, () => '13')).toBe(false);
    expect(ownCopyIsNewer({ metadata: { resourceVersion: 'x' } }, undefined, () => '13')).toBe(false);
  });
});
