import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { ApiServer } from './api/apiServer.js';
import { AccessControl, ADMIN_RULES, type UserSpec } from './api/auth.js';
import type { ServerVersion } from './api/discovery.js';
import { ExecServer } from './api/execServer.js';
import { PortForwardServer } from './api/portForwardServer.js';
import { ApiProxy } from './api/proxy.js';
import { type ListOptions, ResourceApi, resourceOf } from './api/resourceApi.js';
import { generateTlsMaterial, type TlsMaterial } from './api/tls.js';
import { UpgradeRouter } from './api/upgradeRouter.js';
import { DeploymentController } from './controllers/deploymentController.js';
import { EndpointsController } from './controllers/endpointsController.js';
import { GarbageCollector } from './controllers/garbageCollector.js';
import { JobController } from './controllers/jobController.js';
import { StatefulSetController } from './controllers/statefulSetController.js';
import { VolumeBinder } from './controllers/volumeBinder.js';
import { EventRecorder } from './events/eventRecorder.js';
import { FaultInjector } from './faults/faults.js';
import { badRequest, KubeApiError } from './kubeApiError.js';
import { type KubeconfigParams, kubeConfigFrom, kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
import { noopLogger } from './logger.js';
import { PodFleet } from './pods/podFleet.js';
import { ObjectStore } from './store/objectStore.js';
import { type ResourceType, resolveResourceType } from './store/resources.js';
import type { KubeObject, Logger } from './types.js';

export interface MockClusterOptions {
  /** Address to listen on; only loopback makes sense. @default '127.0.0.1' */
  host?: string;
  /** Port to listen on; 0 picks a free one. @default 0 */
  port?: number;
  /** Serve HTTPS with a CA generated at start (the kubeconfig carries it). @default true */
  tls?: boolean;
  /**
   * Users and their bearer tokens, with RBAC rules. An `admin` user with a random token and every
   * permission is always added unless a user of that name is given; the kubeconfig uses it.
   * @default []
   */
  users?: UserSpec[];
  /**
   * What requests without a token may do: `'admin'` (everything: local development only) or
   * `'deny'` (401). Over plain HTTP kubectl never sends tokens, so there the default is `'admin'`.
   * @default 'deny' with TLS, 'admin' without
   */
  anonymous?: 'admin' | 'deny';
  /** Objects to create at start: objects, a list, or YAML (several documents allowed). @default none */
  objects?: KubeObject | KubeObject[] | string;
  /** @deprecated Renamed `objects`; this name goes in the next major version. */
  seed?: KubeObject | KubeObject[] | string;
  /** Version reported at `/version`; kubectl's dispatcher picks its own minor version from it. @default 1.33.0 */
  version?: ServerVersion;
  /** Revisions of history kept for watches; older starts get 410 Expired. @default 5000 */
  compactionWindow?: number;
  /** Watch bookmark period and keep-alive. @default { bookmarkIntervalMs: 5000, keepAliveMs: 10000 } */
  watch?: { bookmarkIntervalMs?: number; keepAliveMs?: number };
  /** Period of fake pods' readiness probes. @default 1000 */
  probeIntervalMs?: number;
  /**
   * `'kubelet'`: readiness probes by each pod's `periodSeconds`, `timeoutSeconds` and thresholds
   * (kubelet's defaults 10 s, 1 s, 3, 1), as a real cluster times them. @default 'fast'
   */
  probeTiming?: 'fast' | 'kubelet';
  /** Endpoints per EndpointSlice. @default 100 */
  maxEndpointsPerSlice?: number;
  /** Bodies above this size get 413. @default 3 MiB */
  maxBodyBytes?: number;
  /** Default namespace of the kubeconfig context. @default 'default' */
  namespace?: string;
  /**
   * Randomness in [0, 1) for the name suffixes of the pods Deployments create (`web-5d8f7-x2k9q`): a
   * repeatable generator (`repeatableRandom(n)`) gives the same pod names on every run. @default Math.random
   */
  podNameRandom?: () => number;
  logger?: Logger;
}

const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 0,
  tls: true,
  version: Object.freeze({ major: '1', minor: '33', gitVersion: 'v1.33.0' }),
  compactionWindow: 5000,
  bookmarkIntervalMs: 5000,
  keepAliveMs: 10_000,
  probeIntervalMs: 1000,
  maxEndpointsPerSlice: 100,
  maxBodyBytes: 3 * 1024 * 1024,
  namespace: 'default',
});

export type ResourceName = string;

/** A running emulated cluster. */
export interface MockCluster {
  /** The API server URL. */
  readonly url: string;
  /** A client-node KubeConfig for the admin user, ready to use. */
  readonly kubeConfig: KubeConfig;
  /** The CA certificate (PEM) of the API server, when TLS is on. */
  readonly caCertPem: string | undefined;
  /** The store behind the API server. */
  readonly store: ObjectStore;
  /** Scripted failures of the API server. */
  readonly faults: FaultInjector;
  /** The fake pods: real servers with kill/hang/slow/fail/restore, logs and container states. */
  readonly pods: PodFleet;
  /** Users, tokens and RBAC rules. */
  readonly access: AccessControl;
  /** A kubeconfig as YAML, for the admin user or for another user by name. */
  kubeconfigYaml(options?: { user?: string; namespace?: string }): string;
  /** Writes the kubeconfig (mode 0600) and returns its path. */
  writeKubeconfig(path: string, options?: { user?: string; namespace?: string }): Promise<string>;
  /** A client-node KubeConfig for another user. */
  kubeConfigFor(user: string): KubeConfig;
  /** Creates or updates (server-side apply) every object given: an object, a list or YAML. */
  apply(objects: KubeObject | KubeObject[] | string): Promise<KubeObject[]>;
  /** Reads one object; `resource` is any name kubectl accepts (`pods`, `pod`, `po`, `Deployment`). */
  get(resource: ResourceName, name: string, namespace?: string): KubeObject | undefined;
  list(resource: ResourceName, namespace?: string, options?: ListOptions): KubeObject[];
  delete(resource: ResourceName, name: string, namespace?: string): KubeObject;
  /** Stops the API server like a crash and brings it back on the same port, keeping the store. */
  restart(): Promise<void>;
  /** Stops the API server, every fake pod, timer and controller. */
  close(): Promise<void>;
}

function parseObjects(input: KubeObject | KubeObject[] | string): KubeObject[] {
  let docs: unknown[];
  if (typeof input === 'string') {
    docs = parseAllDocuments(input).map((doc) => {
      if (doc.errors.length > 0) throw badRequest(`the YAML is not valid: ${doc.errors[0]?.message}`);
      return doc.toJS();
    });
  } else docs = Array.isArray(input) ? input : [input];
  return docs
    .filter((doc) => doc !== null && doc !== undefined)
    .flatMap((doc) => {
      const obj = doc as KubeObject;
      if (typeof obj !== 'object' || Array.isArray(obj))
        throw badRequest('every document must be a Kubernetes object');
      if (obj.kind === 'List' || (obj.kind?.endsWith('List') && Array.isArray(obj.items)))
        return obj.items as KubeObject[];
      return [obj];
    });
}

function resourceType(name: ResourceName): ResourceType {
  const rt = resolveResourceType(name);
  if (!rt) throw new KubeApiError('NotFound', `the server doesn't have a resource type "${name}"`);
  return rt;
}

/** Starts an emulated Kubernetes API server with controllers and fake pods. */
export async function createMockCluster(options: MockClusterOptions = {}): Promise<MockCluster> {
  const host = options.host ?? DEFAULTS.host;
  const useTls = options.tls ?? DEFAULTS.tls;
  const logger = options.logger ?? noopLogger;
  const namespace = options.namespace ?? DEFAULTS.namespace;
  const adminToken = randomBytes(24).toString('base64url');
  const users = [...(options.users ?? [])];
  if (!users.some((u) => u.name === 'admin'))
    users.unshift({ name: 'admin', token: adminToken, rules: ADMIN_RULES });
  const access = new AccessControl({ users, anonymous: options.anonymous ?? (useTls ? 'deny' : 'admin') });

  const store = new ObjectStore({ compactionWindow: options.compactionWindow ?? DEFAULTS.compactionWindow });
  const api = new ResourceApi(store);
  const pods = new PodFleet({
    store,
    logger,
    probeIntervalMs: options.probeIntervalMs ?? DEFAULTS.probeIntervalMs,
    ...(options.probeTiming ? { probeTiming: options.probeTiming } : {}),
  });
  const streaming = new UpgradeRouter({
    exec: new ExecServer({
      store,
      access,
      handlers: pods.execHandlers,
      logger,
      caCertPem: () => tls?.caCertPem,
      attach: (namespace, name, container) => pods.attachTarget(namespace, name, container),
    }),
    portForward: new PortForwardServer({ store, access, podIp: (ns, name) => pods.podIp(ns, name), logger }),
    logger,
  });
  const tls: TlsMaterial | undefined = useTls ? await generateTlsMaterial([host, 'localhost']) : undefined;
  let faults: FaultInjector | undefined;
  const server = new ApiServer({
    host,
    port: options.port ?? DEFAULTS.port,
    tls,
    store,
    api,
    access,
    faults: () => faults!,
    pods,
    version: options.version ?? DEFAULTS.version,
    timings: {
      bookmarkIntervalMs: options.watch?.bookmarkIntervalMs ?? DEFAULTS.bookmarkIntervalMs,
      keepAliveMs: options.watch?.keepAliveMs ?? DEFAULTS.keepAliveMs,
    },
    logger,
    maxBodyBytes: options.maxBodyBytes ?? DEFAULTS.maxBodyBytes,
    proxy: new ApiProxy({ store, access }),
    onUpgrade: (req, socket, head) => streaming.handleUpgrade(req, socket, head),
  });
  faults = new FaultInjector({ refuseConnections: (ms) => server.refuseConnections(ms) });
  const events = new EventRecorder({ store, logger, now: Date.now });
  const controllers = [
    new EndpointsController(store, logger, {
      maxEndpointsPerSlice: options.maxEndpointsPerSlice ?? DEFAULTS.maxEndpointsPerSlice,
    }),
    new DeploymentController(store, api, events, logger, options.podNameRandom),
    new JobController(store, api, events, logger),
    new StatefulSetController(store, api, events, logger),
    new VolumeBinder(store, events, logger),
    new GarbageCollector(store, logger),
  ];
  pods.start();

  const apply = async (input: KubeObject | KubeObject[] | string): Promise<KubeObject[]> =>
    parseObjects(input).map((obj) => {
      const rt = resourceOf(obj);
      const ns = rt.namespaced ? (obj.metadata?.namespace ?? namespace) : undefined;
      const name = obj.metadata?.name;
      if (!name) return api.create(rt, ns, obj);
      return api.patch(rt, ns, name, 'apply', obj, { fieldManager: 'kubesmart-mock', force: true }).object;
    });

  try {
    if (options.objects !== undefined && options.seed !== undefined) {
      throw new TypeError('createMockCluster: give `objects` (or its old name `seed`), not both.');
    }
    const initial = options.objects ?? options.seed;
    if (initial) await apply(initial);
    await server.listen();
  } catch (error) {
    for (const controller of controllers) controller.close();
    await pods.close();
    await server.close();
    throw error;
  }

  const paramsFor = (user = 'admin', ns = namespace): KubeconfigParams => {
    const spec = access.users().find((u) => u.name === user);
    if (!spec)
      throw new KubeApiError(
        'NotFound',
        `the emulator has no user "${user}"; add it with cluster.access.addUser()`,
      );
    return {
      server: server.url,
      token: spec.token,
      ...(tls ? { caCertPem: tls.caCertPem } : { insecureSkipTlsVerify: true }),
      namespace: ns,
      user,
    };
  };
  let closed: Promise<void> | undefined;

  return {
    url: server.url,
    kubeConfig: kubeConfigFrom(paramsFor()),
    caCertPem: tls?.caCertPem,
    store,
    faults,
    pods,
    access,
    kubeconfigYaml: (o = {}) => kubeconfigYaml(paramsFor(o.user, o.namespace)),
    writeKubeconfig: async (path, o = {}) => {
      await writeKubeconfig(path, paramsFor(o.user, o.namespace));
      return path;
    },
    kubeConfigFor: (user) => kubeConfigFrom(paramsFor(user)),
    apply,
    get: (resource, name, ns = namespace) => store.get(resourceType(resource), ns, name),
    list: (resource, ns, listOptions = {}) => api.list(resourceType(resource), ns, listOptions).items,
    delete: (resource, name, ns = namespace) => api.delete(resourceType(resource), ns, name),
    restart: () => server.restart(),
    close: () => {
      closed ??= (async () => {
        for (const controller of controllers) controller.close();
        faults?.clear();
        streaming.close();
        await server.close();
        await pods.close();
      })();
      return closed;
    },
  };
}
