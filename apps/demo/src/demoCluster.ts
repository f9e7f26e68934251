import { readFile } from 'node:fs/promises';
import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { SHOP_MANIFESTS } from '@kubesmart/gateway';
import { createMockCluster, type KubeObject, type MockCluster, waitForPods } from '@kubesmart/mock';
import {
  createCartClient,
  createMemoryCartStore,
  createMemoryOrderStore,
  createShopHandler,
  SHOP_SERVICES,
} from '@kubesmart/shop';
import { parseAllDocuments } from 'yaml';

export const SHOP_NAMESPACE = 'shop';

/** RBAC kinds: the emulator keeps permissions in its own rule table (admin here), not as objects. */
const NOT_EMULATED = new Set(['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding']);

/** The objects of deploy/shop.yaml that the emulator serves. */
async function shopObjects(): Promise<KubeObject[]> {
  const docs = parseAllDocuments(await readFile(SHOP_MANIFESTS, 'utf8')).map(
    (doc) => doc.toJS() as KubeObject | null,
  );
  return docs.filter((obj): obj is KubeObject => obj !== null && !NOT_EMULATED.has(obj.kind ?? ''));
}

/** The emulated cluster running the shop, and the in-cluster mesh the order pods call cart through. */
export interface DemoCluster {
  readonly cluster: MockCluster;
  /** The kubesmart instance of the shop's pods (order -> cart). */
  readonly shopMesh: KubeSmart;
  /** Ready pods of a Deployment, sorted by name. */
  readyPods(app: string): string[];
  /** Waits until `app` has `count` ready pods. */
  waitForReady(app: string, count: number, timeoutMs?: number): Promise<string[]>;
  /** Sets a Deployment's replicas, as `kubectl scale` does. */
  scale(app: string, replicas: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts `@kubesmart/mock` and applies deploy/shop.yaml (the real cluster's manifests): three
 * Deployments of three replicas, whose fake pods are real servers on 127.x.y.z running the shop's
 * handlers. Pods of a service share one store, as real ones would share a database.
 */
export async function startDemoCluster(
  options: { probeIntervalMs?: number; probeTiming?: 'fast' | 'kubelet' } = {},
): Promise<DemoCluster> {
  const cluster = await createMockCluster({
    probeIntervalMs: options.probeIntervalMs ?? 250,
    ...(options.probeTiming ? { probeTiming: options.probeTiming } : {}),
  });
  const ns = { namespace: SHOP_NAMESPACE };
  const shopMesh = createKubeSmart({ kubeConfig: cluster.kubeConfig, namespace: SHOP_NAMESPACE });
  try {
    // Short attempts, so an order reading a cart from a hung cart pod fails over well within the gateway's timeout.
    const cart = shopMesh.service('cart', {
      port: 'http',
      health: { type: 'http', path: '/cart/health', intervalMs: 1000, timeoutMs: 300 },
      retry: { timeoutMs: 300 },
    });
    const cartClient = createCartClient((path, init) => cart.fetch(path, init));
    const cartStore = createMemoryCartStore();
    const orderStore = createMemoryOrderStore();
    for (const name of SHOP_SERVICES) {
      cluster.pods.handle(
        `app=${name}`,
        createShopHandler(name, { cart: cartClient, cartStore, orderStore }),
        ns,
      );
    }
    await cluster.apply(await shopObjects());
  } catch (error) {
    await shopMesh.close();
    await cluster.close();
    throw error;
  }

  const readyPods = (app: string): string[] =>
    cluster.pods
      .status()
      .filter((p) => p.namespace === SHOP_NAMESPACE && p.ready && p.name.startsWith(`${app}-`))
      .map((p) => p.name)
      .sort();

  return {
    cluster,
    shopMesh,
    readyPods,
    async waitForReady(app, count, timeoutMs = 30_000) {
      await waitForPods(cluster, {
        count,
        namespace: SHOP_NAMESPACE,
        labelSelector: `app=${app}`,
        timeoutMs,
      });
      return readyPods(app);
    },
    async scale(app, replicas) {
      const current = cluster.get('deployments', app, SHOP_NAMESPACE);
      if (current === undefined) throw new Error(`no Deployment ${SHOP_NAMESPACE}/${app}`);
      const { name, namespace, labels } = current.metadata;
      const spec = { ...(current.spec as Record<string, unknown>), replicas };
      await cluster.apply({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace, labels },
        spec,
      });
    },
    async close() {
      await shopMesh.close();
      await cluster.close();
    },
  };
}
