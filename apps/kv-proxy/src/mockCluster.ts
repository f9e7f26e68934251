import { randomBytes } from 'node:crypto';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { hashApiKey } from './auth/apiKeys.js';

/** An embedded emulated cluster for `--mock`, with an API key Secret holding one fresh key. */
export async function startMockCluster(
  apiKeysSecret: string,
  namespace: string,
): Promise<{ cluster: MockCluster; apiKey: string }> {
  const cluster = await createMockCluster({ namespace });
  const apiKey = randomBytes(24).toString('base64url');
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: apiKeysSecret, namespace },
    stringData: { 'local-dev': hashApiKey(apiKey) },
  });
  return { cluster, apiKey };
}
