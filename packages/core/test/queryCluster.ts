import { createMockCluster, type KubeObject, type MockCluster } from '@kubesmart/mock';
import { systemClock } from '../src/clock.js';
import { KubeClient } from '../src/cluster/kubeClient.js';
import { WatchCacheRegistry } from '../src/cluster/watchCacheRegistry.js';
import type { EngineContext } from '../src/engineContext.js';
import { noopLogger } from '../src/logger.js';
import { QueryEngine } from '../src/query/queryEngine.js';
import type { QueryEngineOptions } from '../src/query/queryEngineOptions.js';
import { waitFor } from './waitFor.js';

/** An emulated cluster with a query engine over it (query engine tests). */
export interface QueryCluster {
  readonly cluster: MockCluster;
  readonly context: EngineContext;
  readonly q: QueryEngine;
  /** Another engine over the same context with other settings. */
  engine(options: Omit<QueryEngineOptions, 'context'>): QueryEngine;
  close(): Promise<void>;
}

export async function startQueryCluster(
  options: Omit<QueryEngineOptions, 'context'> = {},
): Promise<QueryCluster> {
  const cluster = await createMockCluster({ probeIntervalMs: 50 });
  const client = new KubeClient({ kubeConfig: cluster.kubeConfig });
  const registry = new WatchCacheRegistry({ client, initialBackoffMs: 20, maxBackoffMs: 200 });
  const context: EngineContext = {
    client,
    registry,
    namespace: 'default',
    logger: noopLogger,
    clock: systemClock,
    random: Math.random,
  };
  return {
    cluster,
    context,
    q: new QueryEngine({ context, ...options }),
    engine: (more) => new QueryEngine({ context, ...more }),
    close: async () => {
      registry.close();
      client.close();
      await cluster.close();
    },
  };
}

export interface PodInit {
  namespace?: string;
  labels?: Record<string, string>;
  image?: string;
  containers?: { name: string; image: string }[];
  nodeName?: string;
}

export function pod(name: string, init: PodInit = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: init.namespace ?? 'default', labels: init.labels ?? {} },
    spec: {
      ...(init.nodeName ? { nodeName: init.nodeName } : {}),
      containers: init.containers ?? [{ name: 'main', image: init.image ?? 'app:1.0' }],
    },
  };
}

export function namespace(name: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

export function deployment(
  name: string,
  init: { namespace?: string; replicas?: number; labels?: Record<string, string>; image?: string } = {},
): KubeObject {
  const podLabels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: init.namespace ?? 'default', labels: init.labels ?? {} },
    spec: {
      replicas: init.replicas ?? 1,
      selector: { matchLabels: podLabels },
      template: {
        metadata: { labels: podLabels },
        spec: { containers: [{ name: 'main', image: init.image ?? `${name}:1.0` }] },
      },
    },
  };
}

/** Waits until the stored pod reaches a phase (the emulated kubelet writes it). */
export function podPhase(
  cluster: MockCluster,
  name: string,
  phase: string,
  ns = 'default',
): Promise<unknown> {
  return waitFor(`pod ${ns}/${name} to be ${phase}`, () => {
    const status = cluster.get('pods', name, ns)?.status as { phase?: string } | undefined;
    return status?.phase === phase;
  });
}
