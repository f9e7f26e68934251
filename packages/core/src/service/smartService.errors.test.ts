import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMockCluster, kubeConfigFrom, type MockCluster, type PolicyRule } from '@kubesmart/mock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { deployApp, kubeSmartFor, waitInStep } from '../../test/meshCluster.js';
import { closedPort, startHttpServer, type TestServer } from '../../test/servers.js';
import { waitFor } from '../../test/waitFor.js';
import {
  ClosedError,
  InvalidArgumentError,
  KubeAPIUnavailableError,
  NoHealthyEndpointsError,
  ServiceNotFoundError,
} from '../errors.js';
import { createKubeSmart, type KubeSmart } from '../instance/kubeSmart.js';
import type { Logger } from '../types.js';

let cluster: MockCluster;
let ks: KubeSmart | undefined;
let server: TestServer | undefined;

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 50 });
});
afterEach(async () => {
  await ks?.close();
  await server?.close();
  ks = undefined;
  server = undefined;
});
afterAll(() => cluster.close());

/** A logger that keeps every record. */
function recordingLogger(): Logger & { records: { level: string; obj: unknown; msg: string | undefined }[] } {
  const records: { level: string; obj: unknown; msg: string | undefined }[] = [];
  const at =
    (level: string) =>
    (obj: object | string, msg?: string): void => {
      records.push({ level, obj, msg: typeof obj === 'string' ? obj : msg });
    };
  const logger = { records, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { ...logger, child: () => logger };
}

async function unreachableApi(): Promise<{ ks: KubeSmart; port: number }> {
  const port = await closedPort();
  const kubeConfig = kubeConfigFrom({
    server: `http://127.0.0.1:${port}`,
    insecureSkipTlsVerify: true,
    token: 't',
  });
  return { ks: createKubeSmart({ kubeConfig, watch: { initialBackoffMs: 50 } }), port };
}

describe('SmartService when the API cannot be reached', () => {
  it('uses the fallback, says so in status(), and sends calls there', async () => {
    server = await startHttpServer((_req, res) => res.end('from the fallback'));
    const unreachable = await unreachableApi();
    ks = unreachable.ks;
    const svc = ks.service('anything', { fallback: { host: server.host, port: server.port } });
    const endpoints = await svc.ready({ timeoutMs: 5000 });
    expect(endpoints.map((e) => e.id)).toEqual([`127.0.0.1:${server.port}`]);
    expect(svc.status()).toMatchObject({ source: 'fallback', ready: true, stale: true, pods: 1 });
    expect(svc.status().lastError).toBeInstanceOf(KubeAPIUnavailableError);
    const response = await svc.fetch('/x');
    expect(await response.text()).toBe('from the fallback');
    expect(svc.explain().text).toContain('source fallback (stale: last known endpoints)');
  });

  it('rejects ready() with KubeAPIUnavailableError saying what to do when there is no fallback', async () => {
    const unreachable = await unreachableApi();
    ks = unreachable.ks;
    const error = await ks
      .service('anything')
      .ready({ timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeAPIUnavailableError);
    const message = (error as Error).message;
    expect(message).toContain(`127.0.0.1:${unreachable.port}`);
    expect(message).toContain('check KUBECONFIG');
    expect(message).toContain('fallback: { host, port }');
  });
});

describe('SmartService errors', () => {
  it('rejects an unknown Service with ServiceNotFoundError', async () => {
    ks = kubeSmartFor(cluster);
    const error = await ks
      .service('nowhere')
      .ready({ timeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ServiceNotFoundError);
    expect((error as Error).message).toContain('kubectl get svc -n default');
  });

  it('throws NoHealthyEndpointsError with advice: before ready(), and with no ready pods', async () => {
    await deployApp(cluster, 'empty', { replicas: 0 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('empty', { namespace: 'default' });
    expect(() => svc.pick()).toThrow(/Await svc.ready\(\) before svc.pick\(\)/);
    expect(await svc.ready()).toEqual([]);
    const error = (() => {
      try {
        svc.pick();
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NoHealthyEndpointsError);
    expect((error as Error).message).toBe(
      'Service "empty" in namespace "default" has no ready endpoints. Check that its pods are running and ready (kubectl get endpointslices -n default -l kubernetes.io/service-name=empty), or configure `fallback: { host, port }` to use meanwhile.',
    );
    await expect(svc.fetch('/')).rejects.toBeInstanceOf(NoHealthyEndpointsError);
    expect(svc.explain()).toMatchObject({
      chosen: undefined,
      why: expect.stringContaining('has no endpoints'),
    });
  });

  it('closes once; then every call rejects with ClosedError, including calls in flight', async () => {
    await deployApp(cluster, 'closing', { replicas: 1 });
    ks = kubeSmartFor(cluster);
    const svc = ks.service('closing', { health: false });
    await waitInStep(cluster, svc, 1);
    cluster.pods.hang(svc.endpoints()[0]!.endpoint.pod!);
    const inFlight = svc.fetch('/slow').catch((e: unknown) => e);
    await waitFor('the request to be in flight', () => svc.endpoints()[0]!.inflight === 1);
    const closing = ks.close();
    expect(ks.close()).toBe(closing);
    await closing;
    expect(await inFlight).toBeInstanceOf(ClosedError);
    expect(() => ks!.service('closing')).toThrow(ClosedError);
    expect(() => svc.pick()).toThrow(ClosedError);
    await expect(svc.ready()).rejects.toBeInstanceOf(ClosedError);
    await expect(svc.fetch('/')).rejects.toBeInstanceOf(ClosedError);
    await expect(svc.call(async () => 1)).rejects.toThrow(/is closed .*create a new KubeSmart/);
    expect(svc.status().closed).toBe(true);
    await cluster.pods.restore(svc.endpoints()[0]!.endpoint.pod!);
  });

  it('refuses offline services without a fallback, and zoneAware without a zone', () => {
    ks = createKubeSmart({ offline: true });
    expect(() => ks!.service('web')).toThrow(InvalidArgumentError);
    expect(() => ks!.service('web', { fallback: { host: '127.0.0.1', port: 1 }, zoneAware: true })).toThrow(
      /zoneAware needs this process's zone/,
    );
    expect(() => ks!.context).toThrow(/offline/);
  });
});

describe('KubeSmart permissions and configuration', () => {
  it('resolves without permission on pods, and reports exactly which permissions are missing', async () => {
    await deployApp(cluster, 'private', { replicas: 2 });
    const rules: PolicyRule[] = [
      { apiGroups: [''], resources: ['services'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews'], verbs: ['create'] },
    ];
    cluster.access.addUser({ name: 'no-pods', token: 'no-pods-token', rules });
    const logger = recordingLogger();
    ks = createKubeSmart({ kubeConfig: cluster.kubeConfigFor('no-pods'), logger });
    const svc = ks.service('private');
    await waitInStep(cluster, svc, 2);
    expect(svc.endpoints().every((e) => e.endpoint.pod?.startsWith('private-'))).toBe(true);
    const report = await waitFor('the permission report', () => svc.status().permissions);
    expect(report.missing.map((c) => `${c.verb} ${c.resource}`)).toEqual([
      'get endpoints',
      'list endpoints',
      'watch endpoints',
    ]);
    const warning = logger.records.find((r) => r.level === 'warn' && r.msg?.includes('missing permission'));
    expect(warning?.msg).toContain('list endpoints in namespace "default"');
  });

  it('loads the kubeconfig with loadKubeConfig() when none is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kubesmart-'));
    try {
      const path = await cluster.writeKubeconfig(join(dir, 'config'), { namespace: 'default' });
      vi.stubEnv('KUBECONFIG', path);
      vi.stubEnv('KUBERNETES_SERVICE_HOST', '');
      ks = createKubeSmart();
      expect(ks.namespace).toBe('default');
      expect(ks.context.client.server).toBe(cluster.url);
    } finally {
      vi.unstubAllEnvs();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
