import type { IncomingMessage, ServerResponse } from 'node:http';
import { createKubeSmart, type KubeSmart } from '@kubesmart/core';
import { createMockCluster, type MockCluster, type PodContext } from '@kubesmart/mock';
import {
  createCartClient,
  createMemoryCartStore,
  createMemoryOrderStore,
  createShopHandler,
  SHOP_SERVICES,
} from '@kubesmart/shop';
import { waitFor } from '@kubesmart/wait-for';
import { parseGatewayConfigYaml } from '../src/config/loadGatewayConfig.js';
import { createGateway, type Gateway } from '../src/gateway.js';

export const NS = 'shop';
const ns = { namespace: NS };

/** Deployment + Service YAML of one app in the test namespace. */
export function appYaml(name: string, replicas: number, healthPath = `/${name}/health`): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: { name: ${name}, namespace: ${NS} }
spec:
  replicas: ${replicas}
  selector: { matchLabels: { app: ${name} } }
  template:
    metadata: { labels: { app: ${name} } }
    spec:
      containers:
        - name: ${name}
          image: test/${name}
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: ${healthPath}, port: http } }
---
apiVersion: v1
kind: Service
metadata: { name: ${name}, namespace: ${NS} }
spec:
  selector: { app: ${name} }
  ports: [{ name: http, port: 80, targetPort: http }]
`;
}

export type TestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  ctx: PodContext,
) => void | Promise<void>;

export interface Harness {
  readonly cluster: MockCluster;
  readonly gateway: Gateway;
  readonly shopMesh: KubeSmart;
  readonly url: string;
  readyPods(app: string): string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Gateway configuration YAML; `gateway.port` is replaced by 0. */
  config: string;
  /** Apps beyond the shop, with their handler and replicas. */
  apps?: Record<string, { replicas: number; handler: TestHandler }>;
  /** Start the shop (catalog, cart, order at `shopReplicas` each). @default true */
  shop?: boolean;
  shopReplicas?: number;
}

/** An emulated cluster with the shop (and test apps) as fake pods, and a gateway on port 0 in front. */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const cluster = await createMockCluster({ probeIntervalMs: 500 });
  const shopMesh = createKubeSmart({ kubeConfig: cluster.kubeConfig, namespace: NS });
  let gateway: Gateway | undefined;
  try {
    await cluster.apply(`apiVersion: v1\nkind: Namespace\nmetadata: { name: ${NS} }`);
    const expected: Record<string, number> = {};
    if (options.shop !== false) {
      const cart = shopMesh.service('cart', { port: 'http', retry: { timeoutMs: 500 } });
      const shared = {
        cart: createCartClient((path, init) => cart.fetch(path, init)),
        cartStore: createMemoryCartStore(),
        orderStore: createMemoryOrderStore(),
      };
      for (const name of SHOP_SERVICES) {
        cluster.pods.handle(`app=${name}`, createShopHandler(name, shared), ns);
        await cluster.apply(appYaml(name, options.shopReplicas ?? 2));
        expected[name] = options.shopReplicas ?? 2;
      }
    }
    for (const [name, app] of Object.entries(options.apps ?? {})) {
      cluster.pods.handle(`app=${name}`, app.handler, ns);
      await cluster.apply(appYaml(name, app.replicas));
      expected[name] = app.replicas;
    }
    const readyPods = (app: string): string[] =>
      cluster.pods
        .status()
        .filter((p) => p.namespace === NS && p.ready && p.name.startsWith(`${app}-`))
        .map((p) => p.name)
        .sort();
    for (const [app, count] of Object.entries(expected)) {
      await waitFor(`${count} ready ${app} pods`, () => readyPods(app).length >= count);
    }
    const config = parseGatewayConfigYaml(options.config, 'test config');
    gateway = await createGateway({ config, kubeConfig: cluster.kubeConfig, listen: { port: 0 } });
    await gateway.ready({ timeoutMs: 20_000 });
    const g = gateway;
    await waitFor('every route serving', () =>
      Object.values(g.status().services).every((s) => s.available >= (expected[s.service] ?? 1)),
    );
    return {
      cluster,
      gateway,
      shopMesh,
      url: gateway.url,
      readyPods,
      async close() {
        await g.close();
        await shopMesh.close();
        await cluster.close();
      },
    };
  } catch (error) {
    await gateway?.close();
    await shopMesh.close();
    await cluster.close();
    throw error;
  }
}

/** The shop's routes with the shipped mesh defaults, except health checks every 200 ms. */
export const SHOP_CONFIG = `
gateway: { namespace: ${NS} }
mesh:
  health_check: { interval_ms: 200, timeout_ms: 500 }
services:
  catalog: { path: /catalog, port: http }
  cart: { path: /cart, port: http }
  order: { path: /order, port: http }
`;

export { waitFor };
