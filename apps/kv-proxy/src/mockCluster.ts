import { generateKey, keyEntry } from '@kubesmart/access';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';

/** An embedded emulated cluster for `--mock`, with an API key Secret holding one fresh key. */
export async function startMockCluster(
  apiKeysSecret: string,
  namespace: string,
): Promise<{ cluster: MockCluster; apiKey: string }> {
  const cluster = await createMockCluster({ namespace });
  const apiKey = generateKey('ksh').key;
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: apiKeysSecret, namespace },
    stringData: keyEntry(apiKey, 'local-dev'),
  });
  return { cluster, apiKey };
}
