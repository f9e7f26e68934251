import { keyEntry } from '@kubesmart/access';
import type { MockCluster } from '@kubesmart/mock';
import { loadConfig, type ProxyConfig } from '../src/config.js';
import { buildProxy, type KvProxy } from '../src/server.js';

export const API_KEY = 'ksh_4f1b2c3d00000000_testkeytestkeytestkeytestkeytestkeytestkey1';

/** Puts the test API key (client "tests") into the proxy's key Secret. */
export async function seedApiKey(cluster: MockCluster, secret = 'kv-proxy-api-keys'): Promise<void> {
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: secret, namespace: 'default' },
    stringData: keyEntry(API_KEY, 'tests'),
  });
}

export interface RunningProxy {
  readonly proxy: KvProxy;
  readonly url: string;
  readonly config: ProxyConfig;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1, port 0, over `cluster` (as `user` when given), and waits until it is ready. */
export async function startProxy(
  cluster: MockCluster,
  env: Record<string, string> = {},
  user?: string,
): Promise<RunningProxy> {
  const config = loadConfig({ HOST: '127.0.0.1', PORT: '0', KV_NAMESPACES: 'default', ...env });
  const proxy = await buildProxy({
    config,
    kubeConfig: user ? cluster.kubeConfigFor(user) : cluster.kubeConfig,
    logger: false,
  });
  const address = await proxy.app.listen({ host: config.host, port: config.port });
  const url = address.replace('[::1]', '127.0.0.1');
  return { proxy, url, config, close: () => proxy.close() };
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

/** One HTTP request with the test API key unless `auth` is false or another header is given. */
export async function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer; auth?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    ...(init.auth === false ? {} : { authorization: `Bearer ${API_KEY}` }),
    ...init.headers,
  };
  const response = await fetch(url, { method: init.method ?? 'GET', headers, body: init.body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: <T>() => JSON.parse(text) as T };
}
