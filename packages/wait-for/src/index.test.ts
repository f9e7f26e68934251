import { describe, expect, it } from 'vitest';
import { waitFor } from './index.js';

describe('waitFor', () => {
  it('returns the first truthy value the check gives', async () => {
    let calls = 0;
    const value = await waitFor('the third call', () => {
      calls += 1;
      return calls >= 3 ? { calls } : undefined;
    });
    expect(value).toEqual({ calls: 3 });
  });

  it('keeps polling through errors the check throws', async () => {
    let calls = 0;
    const value = await waitFor('a check that fails twice', async () => {
      calls += 1;
      if (calls < 3) throw new Error(`not yet (${calls})`);
      return 'done';
    });
    expect(value).toBe('done');
  });

  it('fails with what it waited for and the last error once the bound passes', async () => {
    await expect(
      waitFor(
        'a pod that never starts',
        () => {
          throw new Error('pod pending');
        },
        { timeoutMs: 50, intervalMs: 5 },
      ),
    ).rejects.toThrow('waited 50 ms for a pod that never starts: pod pending');
  });
});
