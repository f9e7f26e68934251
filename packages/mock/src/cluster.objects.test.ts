import { describe, expect, it } from 'vitest';
import { createMockCluster } from './cluster.js';
import { repeatableRandom, seededRandom } from './repeatableRandom.js';

const MAP =
  'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: first, namespace: default }\ndata: { a: "1" }\n';

describe('createMockCluster: objects at start', () => {
  it('creates `objects`, and still takes them under their old name `seed`', async () => {
    for (const options of [{ objects: MAP }, { seed: MAP }]) {
      const cluster = await createMockCluster({ tls: false, ...options });
      try {
        expect(cluster.get('configmaps', 'first', 'default')?.data).toEqual({ a: '1' });
      } finally {
        await cluster.close();
      }
    }
  });

  it('refuses both names at once', async () => {
    await expect(createMockCluster({ tls: false, objects: MAP, seed: MAP })).rejects.toThrow(
      /give `objects` \(or its old name `seed`\), not both/,
    );
  });

  it('keeps seededRandom as the very same function as repeatableRandom', () => {
    expect(seededRandom).toBe(repeatableRandom);
    const a = repeatableRandom(7);
    const b = repeatableRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });
});
