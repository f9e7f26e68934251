import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../cluster/kubeClient.js';
import type { KubeList, KubeObject } from '../cluster/kubeObject.js';
import { InvalidArgumentError } from '../errors.js';
import { matchesRequirement, parseSelector } from './labelSelector.js';

// Selector text from the pieces the grammar is made of, hostile ones included: operators, set syntax,
// keys named like Object.prototype members, prefixes, integers for > and <.
const KEYS = ['a', 'app', 'tier', 'constructor', '__proto__', 'toString', 'x.io/a', 'in', 'n'];
const VALUES = ['1', '5', '-3', 'web', 'db', '', 'a.b', 'x_y', '007'];
const PIECES = [
  ...KEYS,
  ...VALUES,
  '=',
  '==',
  '!=',
  '!',
  '<',
  '>',
  '(',
  ')',
  ',',
  ' ',
  ' in ',
  ' notin ',
  '==',
];

/** Objects whose labels the selectors are tried on: one per label set. */
const LABEL_SETS: Record<string, string>[] = [
  {},
  { a: '1' },
  { a: '7', app: 'web' },
  { app: 'db', tier: '' },
  { constructor: 'web', n: '3' },
  { toString: '5', 'x.io/a': 'a.b' },
  { n: '007', in: 'x_y', a: '0' },
];

let cluster: MockCluster;
let client: KubeClient;

beforeAll(async () => {
  cluster = await createMockCluster();
  client = new KubeClient({ kubeConfig: cluster.kubeConfig });
  await cluster.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'selectors' } });
  await cluster.apply(
    LABEL_SETS.map((labels, i) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `set-${i}`, namespace: 'selectors', labels },
    })),
  );
});
afterAll(async () => {
  client.close();
  await cluster.close();
});

/** What the emulator's API answers for a selector: the names it lists, or 'refused' (400). */
async function serverAnswer(selector: string): Promise<string[] | 'refused'> {
  try {
    const list = await client.request<KubeList>('GET', '/api/v1/namespaces/selectors/configmaps', {
      query: { labelSelector: selector },
    });
    return (list.items ?? []).map((o: KubeObject) => o.metadata?.name ?? '').sort();
  } catch (error) {
    if ((error as { details?: { status?: number } }).details?.status === 400) return 'refused';
    throw error;
  }
}

/** What the query engine decides locally for the same text. */
function localAnswer(selector: string): string[] | 'refused' {
  let requirements: ReturnType<typeof parseSelector>;
  try {
    requirements = parseSelector(selector);
  } catch (error) {
    if (error instanceof InvalidArgumentError) return 'refused';
    throw error;
  }
  return LABEL_SETS.flatMap((labels, i) =>
    requirements.every((r) => matchesRequirement(r, labels)) ? [`set-${i}`] : [],
  ).sort();
}

describe('the query engine and the emulator speak one label-selector grammar', () => {
  it('agree on what is refused and on what matches, for generated selectors', async () => {
    const selector = fc
      .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 7 })
      .map((p) => p.join(''));
    await fc.assert(
      fc.asyncProperty(selector, async (text) => {
        expect(localAnswer(text)).toEqual(await serverAnswer(text));
      }),
      { seed: 20_261_202, numRuns: 400 },
    );
  });

  it.each([
    // [selector, the label sets the API server selects, or 'refused'] after kube-apiserver's rules
    ['a<5', ['set-1', 'set-6']],
    ['a>1', ['set-2']],
    ['a<x', 'refused'],
    ['constructor', ['set-4']],
    ['!constructor', ['set-0', 'set-1', 'set-2', 'set-3', 'set-5', 'set-6']],
    ['toString=5', ['set-5']],
    ['__proto__', 'refused'],
    ['app in (web,db)', ['set-2', 'set-3']],
    ['tier=', ['set-3']],
    ['app!=web', ['set-0', 'set-1', 'set-3', 'set-4', 'set-5', 'set-6']],
    ['a=1,,b', 'refused'],
    ['a==1==2', 'refused'],
    ['app in web', 'refused'],
    ['x.io/a=a.b', ['set-5']],
  ] as const)('%s gives the API server answer', async (text, expected) => {
    expect(localAnswer(text)).toEqual(expected === 'refused' ? 'refused' : [...expected]);
    expect(await serverAnswer(text)).toEqual(expected === 'refused' ? 'refused' : [...expected]);
  });
});
