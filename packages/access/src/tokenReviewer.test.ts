import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyEntry } from './keyRecord.js';
import { TokenBuckets } from './tokenBuckets.js';
import { TokenReviewer } from './tokenReviewer.js';

let cluster: MockCluster;
let ks: KubeSmart;

beforeAll(async () => {
  cluster = await createMockCluster({
    users: [
      {
        name: 'reader',
        token: 'reader-token-0123456789',
        rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
      },
    ],
  });
  ks = createKubeSmart({ kubeConfig: cluster.kubeConfig });
});

afterAll(async () => {
  await ks?.close();
  await cluster?.close();
});

const reviews = (): number => ks.context.client.stats().requests;

describe('TokenReviewer', () => {
  it('reviews a valid token once, then answers from its cache; authorizes with SubjectAccessReview', async () => {
    let now = 0;
    const reviewer = new TokenReviewer({ client: ks.context.client, now: () => now });
    const first = await reviewer.authenticate('reader-token-0123456789');
    expect(first).toMatchObject({ kind: 'user', user: { username: 'reader' } });
    const before = reviews();
    expect(await reviewer.authenticate('reader-token-0123456789')).toEqual(first);
    expect(reviews()).toBe(before);
    if (first.kind !== 'user') throw new Error('expected a user');
    const { user } = first;
    expect(
      await reviewer.authorize(user, { verb: 'get', resource: 'configmaps', namespace: 'default' }),
    ).toMatchObject({ allowed: true });
    expect(
      await reviewer.authorize(user, { verb: 'delete', resource: 'configmaps', namespace: 'default' }),
    ).toMatchObject({ allowed: false });
    now = 31_000;
    await reviewer.authenticate('reader-token-0123456789');
    expect(reviews()).toBeGreaterThan(before);
  });

  it('random tokens cost at most the review budget per second, then are throttled without a review', async () => {
    const now = 0;
    const reviewer = new TokenReviewer({ client: ks.context.client, reviewsPerSecond: 3, now: () => now });
    const before = reviews();
    const outcomes = [];
    for (let i = 0; i < 10; i += 1)
      outcomes.push((await reviewer.authenticate(`random-${i}-${'z'.repeat(20)}`)).kind);
    expect(outcomes).toEqual(['invalid', 'invalid', 'invalid', ...Array(7).fill('throttled')]);
    expect(reviews() - before).toBe(3);
    expect((await reviewer.authenticate(`random-0-${'z'.repeat(20)}`)).kind).toBe('invalid');
    expect(reviews() - before).toBe(3);
  });
});

describe('TokenBuckets and keyEntry', () => {
  it('allows a burst, then the rate, and tells how long to wait', () => {
    let now = 0;
    const buckets = new TokenBuckets(1, 2, 10, () => now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 1]);
    now = 1000;
    expect(buckets.takeDetailed('a')).toMatchObject({ allowed: true });
  });

  it('seeds a key record by id without the secret', () => {
    const key = 'ksh_0123456789abcdef_secretsecretsecretsecretsecret';
    const entry = keyEntry(key, 'fixture');
    expect(Object.keys(entry)).toEqual(['0123456789abcdef']);
    expect(entry['0123456789abcdef']).not.toContain('secretsecret');
    expect(() => keyEntry('nope', 'x')).toThrow(TypeError);
  });
});
