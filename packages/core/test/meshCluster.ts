import type { KubeObject, MockCluster } from '@kubesmart/mock';
import { createKubeSmart, type KubeSmart } from '../src/instance/kubeSmart.js';
import type { KubeSmartOptions } from '../src/instance/kubeSmartOptions.js';
import type { SmartService } from '../src/service/smartService.js';
import { waitFor } from './waitFor.js';

export interface AppOptions {
  replicas: number;
  /**
   * `'always'`: an exec probe that always passes, so only the mesh takes a hung, slow or failing pod
   * out (and a loaded test process cannot make pods flap); `'probe'`: an httpGet readiness probe
   * (with the emulator's probe timeout, which is short at `probeIntervalMs: 50`).
   * @default 'always'
   */
  readiness?: 'probe' | 'always';
  namespace?: string;
}

/** A Deployment of fake pods serving `http` on 8080 (answering `{ pod }`) and its Service (port 80). */
export function deployApp(cluster: MockCluster, name: string, options: AppOptions): Promise<KubeObject[]> {
  const labels = { app: name };
  const namespace = options.namespace ?? 'default';
  const readinessProbe =
    options.readiness === 'probe'
      ? { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1 }
      : { exec: { command: ['true'] }, periodSeconds: 1 };
  return cluster.apply([
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace, labels },
      spec: {
        replicas: options.replicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [
              {
                name,
                image: `example/${name}:1`,
                ports: [{ name: 'http', containerPort: 8080 }],
                readinessProbe,
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace, labels },
      spec: { selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    },
  ]);
}

interface SliceShape {
  ports?: { port?: number }[];
  endpoints?: { addresses?: string[]; conditions?: { ready?: boolean; terminating?: boolean } }[];
}

/** The ready `host:port` endpoints of a Service as the API server has them, sorted. */
export function serverEndpoints(cluster: MockCluster, name: string, namespace = 'default'): string[] {
  const slices = cluster.list('endpointslices', namespace, {
    labelSelector: `kubernetes.io/service-name=${name}`,
  }) as unknown as SliceShape[];
  return slices
    .flatMap((slice) =>
      (slice.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false && e.conditions?.terminating !== true)
        .flatMap((e) => (e.addresses ?? []).map((address) => `${address}:${slice.ports?.[0]?.port}`)),
    )
    .sort();
}

/** The endpoints a service resolves to now, sorted. */
export const resolvedEndpoints = (service: SmartService): string[] =>
  service
    .endpoints()
    .map((e) => e.endpoint.id)
    .sort();

/** Waits until the service resolves exactly the server's ready endpoints, `count` of them when given. */
export function waitInStep(cluster: MockCluster, service: SmartService, count?: number): Promise<string[]> {
  return waitFor(
    `${service.name} in step with the API server${count === undefined ? '' : ` (${count})`}`,
    () => {
      const server = serverEndpoints(cluster, service.name, service.namespace);
      const resolved = resolvedEndpoints(service);
      if (count !== undefined && server.length !== count) return undefined;
      return server.join() === resolved.join() ? resolved : undefined;
    },
  );
}

/** Fast settings for tests: quick reconnects and stall detection. */
export const FAST_WATCH: KubeSmartOptions['watch'] = {
  initialBackoffMs: 20,
  maxBackoffMs: 200,
  stallTimeoutMs: 1000,
  pollIntervalMs: 100,
};

/** A KubeSmart on the cluster with fast watch settings; closed by the returned list's owner. */
export function kubeSmartFor(cluster: MockCluster, options: KubeSmartOptions = {}): KubeSmart {
  return createKubeSmart({ kubeConfig: cluster.kubeConfig, watch: FAST_WATCH, ...options });
}

/** The pod that answered a fake pod's default handler (`{ pod, namespace, port }`). */
export async function podOf(response: { json(): Promise<unknown> }): Promise<string> {
  return ((await response.json()) as { pod: string }).pod;
}

/** Runs `count` calls of `fn`, `concurrency` at a time; resolves with every result, rejections included. */
export async function drive<T>(
  count: number,
  concurrency: number,
  fn: (i: number) => Promise<T>,
): Promise<PromiseSettledResult<T>[]> {
  const results: PromiseSettledResult<T>[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      try {
        results[i] = { status: 'fulfilled', value: await fn(i) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

/** How many times each value occurs. */
export function tallyOf(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
