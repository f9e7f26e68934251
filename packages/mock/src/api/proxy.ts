import http from 'node:http';
import { KubeApiError, notFound } from '../kubeApiError.js';
import type { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject } from '../types.js';
import type { AccessControl, UserInfo } from './auth.js';

/** `.../namespaces/{ns}/{pods|services}/{[scheme:]name[:port]}/proxy[/path]`. */
const PROXY_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/(pods|services)\/([^/]+)\/proxy(\/.*)?$/;

export interface ProxyTarget {
  readonly namespace: string;
  readonly resource: 'pods' | 'services';
  readonly name: string;
  readonly scheme: string | undefined;
  readonly port: string | undefined;
  /** The path on the pod, from `/`. */
  readonly path: string;
}

/** Decodes a proxy path, or undefined when the path is no proxy. */
export function matchProxy(pathname: string): ProxyTarget | undefined {
  const match = PROXY_PATH.exec(pathname);
  if (!match) return undefined;
  const [, namespace = '', resource, id = '', rest] = match;
  const parts = decodeURIComponent(id).split(':');
  const [scheme, name, port] =
    parts.length === 3
      ? parts
      : parts.length === 2
        ? [undefined, parts[0], parts[1]]
        : [undefined, parts[0], undefined];
  return {
    namespace: decodeURIComponent(namespace),
    resource: resource as 'pods' | 'services',
    name: name ?? '',
    scheme: scheme || undefined,
    port: port || undefined,
    path: rest ?? '/',
  };
}

const VERBS: Readonly<Record<string, string>> = {
  GET: 'get',
  HEAD: 'get',
  OPTIONS: 'get',
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

/** Headers that belong to one hop, or to the API server, and are not passed on. */
const HOP_HEADERS = new Set([
  'authorization',
  'connection',
  'keep-alive',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'impersonate-user',
  'impersonate-group',
  'impersonate-uid',
]);

interface PortSpec {
  name?: string;
  port?: number;
  containerPort?: number;
  targetPort?: number | string;
}

/**
 * The `proxy` subresource of pods and services, as kube-apiserver serves it: the request (method,
 * path after `/proxy`, query, headers without credentials, body) goes to the pod's IP, and the pod's
 * answer comes back as it is. A pod without a port given uses its first container port; a service
 * resolves its port by name or number and picks a ready endpoint. No endpoint, or a pod that does
 * not answer, is 503 as on a real cluster.
 */
export class ApiProxy {
  readonly #store: ObjectStore;
  readonly #access: AccessControl;

  constructor(options: { store: ObjectStore; access: AccessControl }) {
    this.#store = options.store;
    this.#access = options.access;
  }

  async serve(
    target: ProxyTarget,
    user: UserInfo,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    query: string,
  ): Promise<void> {
    const verb = VERBS[req.method ?? 'GET'];
    if (!verb)
      throw new KubeApiError('MethodNotAllowed', `the proxy does not serve the method ${req.method}`);
    this.#access.assertAllowed(user, {
      verb,
      apiGroup: '',
      resource: target.resource,
      subresource: 'proxy',
      namespace: target.namespace,
      name: target.name,
    });
    if (target.scheme === 'https') {
      throw unavailable(`the fake pods serve plain HTTP: https:${target.name} cannot be reached`);
    }
    const { ip, port } = target.resource === 'pods' ? this.#podAddress(target) : this.#serviceAddress(target);
    await forward({
      ip,
      port,
      path: target.path + query,
      req,
      res,
      what: `${target.resource}/${target.name}`,
    });
  }

  #get(plural: string, namespace: string, name: string): KubeObject {
    const obj = this.#store.get(resourceByPath('v1', plural)!, namespace, name);
    if (!obj) throw notFound(plural, name);
    return obj;
  }

  #podAddress(target: ProxyTarget): { ip: string; port: number } {
    const pod = this.#get('pods', target.namespace, target.name);
    const ports = (
      (pod.spec as { containers?: { ports?: PortSpec[] }[] } | undefined)?.containers ?? []
    ).flatMap((c) => c.ports ?? []);
    const port = portOf(target.port, ports, (p) => p.containerPort);
    if (port === undefined) {
      throw new KubeApiError(
        'BadRequest',
        `pod ${target.name} has no port ${target.port ?? '(none declared)'}`,
      );
    }
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
    if (!ip) throw unavailable(`pod ${target.name} has no IP address yet`);
    return { ip, port };
  }

  #serviceAddress(target: ProxyTarget): { ip: string; port: number } {
    const service = this.#get('services', target.namespace, target.name);
    const ports = (service.spec as { ports?: PortSpec[] } | undefined)?.ports ?? [];
    const servicePort =
      target.port === undefined
        ? ports.length === 1
          ? ports[0]
          : undefined
        : ports.find((p) => p.name === target.port || String(p.port) === target.port);
    if (!servicePort) {
      throw unavailable(`no endpoints available for service "${target.name}"`);
    }
    const endpoints = this.#store.get(resourceByPath('v1', 'endpoints')!, target.namespace, target.name);
    const subsets =
      (endpoints as { subsets?: { addresses?: { ip: string }[]; ports?: PortSpec[] }[] } | undefined)
        ?.subsets ?? [];
    for (const subset of subsets) {
      const port = (subset.ports ?? []).find((p) => (p.name ?? '') === (servicePort.name ?? ''))?.port;
      const address = subset.addresses?.[0];
      if (port !== undefined && address) return { ip: address.ip, port };
    }
    throw unavailable(`no endpoints available for service "${target.name}"`);
  }
}

/** A port given by number or name, or the first one when none is given. */
function portOf(
  given: string | undefined,
  ports: PortSpec[],
  number: (p: PortSpec) => number | undefined,
): number | undefined {
  if (given === undefined) return ports[0] ? number(ports[0]) : undefined;
  if (/^\d+$/.test(given)) return Number(given);
  const named = ports.find((p) => p.name === given);
  return named ? number(named) : undefined;
}

function unavailable(message: string): KubeApiError {
  return new KubeApiError('ServiceUnavailable', message);
}

function forward(o: {
  ip: string;
  port: number;
  path: string;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  what: string;
}): Promise<void> {
  const headers: http.OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(o.req.headers)) {
    if (!HOP_HEADERS.has(name) && value !== undefined) headers[name] = value;
  }
  headers.host = `${o.ip}:${o.port}`;
  return new Promise((resolve, reject) => {
    const upstream = http.request(
      { host: o.ip, port: o.port, method: o.req.method, path: o.path, headers, timeout: 30_000 },
      (answer) => {
        const out: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!HOP_HEADERS.has(name) && value !== undefined) out[name] = value;
        }
        o.res.writeHead(answer.statusCode ?? 502, out);
        answer.pipe(o.res);
        answer.on('end', () => resolve());
        answer.on('error', () => {
          o.res.destroy();
          resolve();
        });
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('the pod did not answer within 30 s')));
    upstream.on('error', (err) => {
      if (o.res.headersSent) {
        o.res.destroy();
        resolve();
      } else reject(unavailable(`error trying to reach ${o.what}: ${err.message}`));
    });
    o.res.on('close', () => upstream.destroy());
    o.req.pipe(upstream);
  });
}
