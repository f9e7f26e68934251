/**
 * Starts the proxy from environment variables (see README.md): `pnpm start`, or `pnpm start -- --mock`
 * for an embedded emulated cluster.
 */
import { loadKubeConfig } from '@kubesmart/core';
import type { MockCluster } from '@kubesmart/mock';
import { ConfigError, loadConfig } from './config.js';
import { startMockCluster } from './mockCluster.js';
import { buildProxy } from './server.js';

async function main(): Promise<void> {
  const config = loadConfig(process.env, process.argv.slice(2));
  let cluster: MockCluster | undefined;
  let kubeConfig: ReturnType<typeof loadKubeConfig>;
  if (config.mock && config.kubeconfig === undefined) {
    const started = await startMockCluster(config.apiKeysSecret, config.namespace);
    cluster = started.cluster;
    kubeConfig = cluster.kubeConfig;
    console.log(`kv-proxy: embedded emulated cluster at ${cluster.url} (KV_PROXY_MOCK / --mock)`);
    if (config.authMode === 'apikey') console.log(`kv-proxy: API key for this run: ${started.apiKey}`);
  } else {
    if (config.mock) console.warn('kv-proxy: KUBECONFIG is set, so --mock is ignored: serving that cluster.');
    kubeConfig = loadKubeConfig(config.kubeconfig ? { path: config.kubeconfig } : {});
  }
  const proxy = await buildProxy({ config, kubeConfig });
  const address = await proxy.app.listen({ port: config.port, host: config.host });
  proxy.app.log.info(`kv-proxy listening on ${address}; docs at ${address}/docs`);
  if (proxy.metricsApp) {
    const metricsAddress = await proxy.metricsApp.listen({ port: config.metricsPort, host: config.host });
    proxy.app.log.info(`kv-proxy metrics on ${metricsAddress}/metrics`);
  }
  const stop = async (signal: string): Promise<void> => {
    proxy.app.log.info(`${signal}: shutting down`);
    await proxy.close();
    await cluster?.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? `kv-proxy: ${error.message}` : error);
  process.exit(1);
});
