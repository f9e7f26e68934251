import { createKubeSmart, loadKubeConfig } from '@kubesmart/core';
import { ConfigError, loadConfig } from './config.js';
import { buildHub } from './server.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`cluster-hub: ${error.message}`);
      process.exit(2);
    }
    throw error;
  }
  let kubeConfig = config.kubeconfig ? loadKubeConfig({ path: config.kubeconfig }) : undefined;
  let stopMock: (() => Promise<void>) | undefined;
  if (!kubeConfig && config.mock) {
    const { createMockCluster } = await import('@kubesmart/mock');
    const cluster = await createMockCluster({ namespace: config.namespace });
    kubeConfig = cluster.kubeConfig;
    stopMock = () => cluster.close();
    const ks = createKubeSmart({ kubeConfig, namespace: config.namespace });
    const { KeyStore } = await import('@kubesmart/access');
    const keys = new KeyStore({ kubeSmart: ks, secretName: config.apiKeysSecret });
    await keys.load();
    const { key } = await keys.create({ name: 'local-dev' });
    console.error(`cluster-hub --mock: an emulated cluster holds the keys; API key (shown once): ${key}`);
    keys.close();
    await ks.close();
  }
  const hub = await buildHub({ config, kubeConfig: kubeConfig ?? loadKubeConfig() });
  await hub.listen();
  const stop = async (signal: string): Promise<void> => {
    hub.app.log.info({ signal }, 'stopping');
    await hub.close();
    await stopMock?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

void main().catch((error: unknown) => {
  console.error('cluster-hub failed to start:', error);
  process.exit(1);
});
