import type { KubeConfig } from '@kubernetes/client-node';
import { systemClock } from '../src/clock.js';
import { KubeClient } from '../src/cluster/kubeClient.js';
import { WatchCacheRegistry } from '../src/cluster/watchCacheRegistry.js';
import type { EngineContext } from '../src/engineContext.js';
import { noopLogger } from '../src/logger.js';

/** An engine context over a kubeconfig with short backoffs, and the function that closes it (tests and benches). */
export function testContext(
  kubeConfig: KubeConfig,
  namespace = 'default',
): EngineContext & { close(): void } {
  const client = new KubeClient({ kubeConfig });
  const registry = new WatchCacheRegistry({ client, initialBackoffMs: 20, maxBackoffMs: 200 });
  return {
    client,
    registry,
    namespace,
    logger: noopLogger,
    clock: systemClock,
    random: Math.random,
    close: () => {
      registry.close();
      client.close();
    },
  };
}
