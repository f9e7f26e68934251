import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import type { FaultInjector } from '../faults/faults.js';
import { badRequest, KubeApiError } from '../kubeApiError.js';
import { fieldValidationOf } from '../openapi/fieldValidation.js';
import { openApiGroup, openApiRoot, openApiV2 } from '../openapi/openapiDocuments.js';
import type { ObjectStore } from '../store/objectStore.js';
import type { Logger, StatusReason } from '../types.js';
import { type AccessControl, nameForAuthorization, type UserInfo } from './auth.js';
import { apiGroupList, apiResourceList, apiVersions, type ServerVersion, versionInfo } from './discovery.js';
import { impersonatedUser } from './impersonation.js';
import { type LogFollower, logQuery, serveLogStream } from './logStream.js';
import { assertAcceptable, assertBodyMediaType } from './mediaTypes.js';
import { patchTypeFromContentType } from './patch/index.js';
import { decodeKubeProtobuf, isKubeProtobuf } from './protobuf.js';
import { type ApiProxy, matchProxy } from './proxy.js';
import { parseRequest, queryFlag, type RequestInfo, type ResourceRequest } from './requestInfo.js';
import type { ResourceApi } from './resourceApi.js';
import { reviewAccess } from './reviews.js';
import { scaleOf, writeScale } from './subresources.js';
import { toTable, wantsTable } from './tables.js';
import type { TlsMaterial } from './tls.js';
import { serveWatch, type WatchTimings } from './watchStream.js';

/** What the API server serves for pods that it does not store: logs and exec. */
export interface PodRuntime {
  logs(
    namespace: string,
    name: string,
    options: { container?: string; tailLines?: number; sinceSeconds?: number; timestamps?: boolean },
  ): string;
  /** `logs -f`: see {@link serveLogStream}. */
  followLogs: LogFollower;
}

export interface ApiServerOptions {
  host: string;
  port: number;
  tls: TlsMaterial | undefined;
  store: ObjectStore;
  api: ResourceApi;
  access: AccessControl;
  faults: () => FaultInjector;
  pods: PodRuntime;
  version: ServerVersion;
  timings: WatchTimings;
  logger: Logger;
  /** Request bodies above this size are refused with 413. */
  maxBodyBytes: number;
  /** The `proxy` subresource of pods and services. */
  proxy?: ApiProxy;
  /** Answers HTTP upgrades (exec over WebSocket). */
  onUpgrade?: (req: http.IncomingMessage, socket: Socket, head: Buffer) => void;
}

class Reply {
  /** `Warning` headers, as `299 - "text"`. */
  warnings: readonly string[] = [];

  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly contentType = 'application/json',
  ) {}
}

/** Subresources served only over an upgraded connection (see upgradeRouter.ts). */
const STREAMING_SUBRESOURCES = new Set(['exec', 'attach', 'portforward']);

/** The HTTP(S) front of the emulator: authentication, authorization, faults, routing, encoding. */
export class ApiServer {
  readonly #options: ApiServerOptions;
  readonly #server: http.Server;
  readonly #sockets = new Set<Socket>();
  #port: number;
  #refusing: Promise<void> | undefined;

  constructor(options: ApiServerOptions) {
    this.#options = options;
    this.#port = options.port;
    const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
      void this.#handle(req, res);
    };
    this.#server = options.tls
      ? https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, handler)
      : http.createServer(handler);
    this.#server.keepAliveTimeout = 30_000;
    if (options.onUpgrade) this.#server.on('upgrade', options.onUpgrade);
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('secureConnection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
  }

  get url(): string {
    const scheme = this.#options.tls ? 'https' : 'http';
    const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
    return `${scheme}://${host}:${this.#port}`;
  }

  async listen(): Promise<void> {
    this.#server.listen(this.#port, this.#options.host);
    await once(this.#server, 'listening');
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Stops listening and cuts every open connection (watches included). */
  async close(): Promise<void> {
    if (!this.#server.listening) {
      for (const socket of this.#sockets) socket.destroy();
      return;
    }
    const closed = once(this.#server, 'close');
    this.#server.close();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  /** Closes like a crashed API server and comes back on the same port. */
  async restart(): Promise<void> {
    await this.close();
    await this.listen();
  }

  /** Refuses connections for `ms`, then listens again on the same port. */
  refuseConnections(ms: number): Promise<void> {
    this.#refusing ??= (async () => {
      await this.close();
      await sleep(ms);
      await this.listen();
      this.#refusing = undefined;
    })();
    return this.#refusing;
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (['/healthz', '/livez', '/readyz'].includes(url.pathname)) {
        this.#send(res, new Reply(200, 'ok', 'text/plain'));
        return;
      }
      const user = impersonatedUser(
        this.#options.access,
        this.#options.access.authenticate(req.headers.authorization),
        req.headersDistinct,
      );
      const proxied = this.#options.proxy ? matchProxy(url.pathname) : undefined;
      if (proxied && this.#options.proxy) {
        await this.#options.proxy.serve(proxied, user, req, res, url.search);
        return;
      }
      const info = parseRequest(req.method ?? 'GET', url);
      if (info.kind === 'nonResource') {
        if (!this.#options.access.authorizePath(user, info.path, 'get').allowed) {
          throw new KubeApiError(
            'Forbidden',
            `forbidden: User "${user.username}" cannot get path "${info.path}"`,
          );
        }
        this.#send(res, this.#nonResource(info, req.headers.accept));
        return;
      }
      if (info.subresource !== 'log') assertAcceptable(req.headers.accept);
      this.#options.access.assertAllowed(user, {
        verb: info.verb,
        apiGroup: info.resource.group,
        resource: info.resource.plural,
        ...(info.subresource ? { subresource: info.subresource } : {}),
        namespace: info.namespace ?? '',
        ...withName(nameForAuthorization(info.verb, info.name, info.query)),
      });
      const faults = this.#options.faults().forRequest(info.verb, info.resource.plural, info.namespace);
      if (faults.delayMs > 0) await sleep(faults.delayMs);
      if (faults.error) {
        const { status, reason, message, retryAfterSeconds } = faults.error;
        if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
        throw new KubeApiError(
          reason ?? reasonFor(status),
          message ?? `injected fault: ${info.verb} ${info.resource.plural} answered ${status}`,
          retryAfterSeconds !== undefined ? { retryAfterSeconds } : undefined,
          status,
        );
      }
      if (info.verb === 'get' && info.subresource === 'log' && queryFlag(info.query, 'follow')) {
        const pod = this.#options.api.get(info.resource, info.namespace, info.name ?? '');
        serveLogStream(res, this.#options.pods.followLogs.bind(this.#options.pods), {
          namespace: info.namespace ?? '',
          name: pod.metadata.name ?? '',
          query: info.query,
        });
        return;
      }
      if (info.verb === 'watch') {
        serveWatch({
          store: this.#options.store,
          faults: this.#options.faults(),
          resource: info.resource,
          namespace: info.namespace,
          query: info.query,
          response: res,
          timings: this.#options.timings,
          asTable: wantsTable(req.headers.accept),
        });
        return;
      }
      const body = await this.#readBody(req);
      this.#send(
        res,
        this.#resource(info, user, req.headers['content-type'], body, wantsTable(req.headers.accept)),
      );
    } catch (error) {
      this.#sendError(res, error);
    }
  }

  #nonResource(info: Extract<RequestInfo, { kind: 'nonResource' }>, accept: string | undefined): Reply {
    const path = info.path.replace(/\/+$/, '');
    if (path === '/version') return new Reply(200, versionInfo(this.#options.version));
    if (path === '/api') return new Reply(200, apiVersions());
    if (path === '/apis') return new Reply(200, apiGroupList());
    if (path === '/openapi/v3') return new Reply(200, openApiRoot());
    if (path === '/openapi/v2' && acceptsJson(accept)) return new Reply(200, openApiV2());
    if (path.startsWith('/openapi/v3/')) {
      const doc = openApiGroup(path.slice('/openapi/v3/'.length));
      if (doc) return new Reply(200, doc);
    }
    const gv = path.startsWith('/api/')
      ? path.slice(5)
      : path.startsWith('/apis/')
        ? path.slice(6)
        : undefined;
    const list = gv ? apiResourceList(gv) : undefined;
    if (list) return new Reply(200, list);
    throw new KubeApiError('NotFound', 'the server could not find the requested resource', {});
  }

  #resource(
    info: ResourceRequest,
    user: UserInfo,
    contentType: string | undefined,
    raw: Buffer,
    asTable: boolean,
  ): Reply {
    const { api } = this.#options;
    const { resource: rt, namespace, name, subresource, query, verb } = info;
    const dryRun = query.getAll('dryRun').includes('All');
    if (rt.virtual) {
      if (verb !== 'create') throw new KubeApiError('MethodNotAllowed', `${rt.plural} can only be created`);
      return new Reply(201, reviewAccess(rt, decodeBody(raw, contentType), user, this.#options.access));
    }
    if (subresource && !rt.subresources.includes(subresource)) {
      throw new KubeApiError('NotFound', 'the server could not find the requested resource', {});
    }
    if (subresource && STREAMING_SUBRESOURCES.has(subresource)) {
      // Reached without an upgrade (exec/attach/portforward need SPDY or WebSocket).
      throw badRequest('Upgrade request required');
    }
    if (subresource === 'log') {
      const pod = api.get(rt, namespace, name ?? '');
      const text = this.#options.pods.logs(namespace ?? '', pod.metadata.name ?? '', logQuery(query));
      return new Reply(200, text, 'text/plain');
    }
    if (subresource === 'scale' && name) {
      if (verb === 'get') return new Reply(200, scaleOf(api.get(rt, namespace, name)));
      if (verb === 'update') {
        return new Reply(200, writeScale(api, rt, namespace, name, { scale: decodeBody(raw, contentType) }));
      }
      if (verb === 'patch') {
        const patchType = patchTypeFromContentType(contentType);
        if (!patchType || patchType === 'apply') throw unsupportedPatch(contentType);
        const patch = isKubeProtobuf(raw) ? decodeKubeProtobuf(raw) : decodeJson(raw);
        return new Reply(200, writeScale(api, rt, namespace, name, { patchType, patch }));
      }
    }
    const sub = subresource ? { subresource } : {};
    const warnings: string[] = [];
    const write = {
      dryRun,
      ...sub,
      fieldValidation: fieldValidationOf(query.get('fieldValidation')),
      warnings,
    };
    const warned = (reply: Reply): Reply => {
      reply.warnings = warnings.map((text) => `299 - ${JSON.stringify(text)}`);
      return reply;
    };
    switch (verb) {
      case 'get': {
        const obj = api.get(rt, namespace, name ?? '');
        return new Reply(200, asTable && !subresource ? toTable(rt, [obj], {}) : obj);
      }
      case 'list': {
        const result = api.list(rt, namespace, listOptions(query));
        if (asTable) {
          const metadata = {
            resourceVersion: result.resourceVersion,
            ...(result.continue ? { continue: result.continue } : {}),
          };
          return new Reply(200, toTable(rt, result.items, metadata));
        }
        return new Reply(200, {
          kind: rt.listKind,
          apiVersion: rt.apiVersion,
          metadata: {
            resourceVersion: result.resourceVersion,
            ...(result.continue ? { continue: result.continue } : {}),
            ...(result.remainingItemCount !== undefined
              ? { remainingItemCount: result.remainingItemCount }
              : {}),
          },
          items: result.items,
        });
      }
      case 'create':
        return warned(new Reply(201, api.create(rt, namespace, decodeBody(raw, contentType), write)));
      case 'update':
        return warned(
          new Reply(200, api.update(rt, namespace, name ?? '', decodeBody(raw, contentType), write)),
        );
      case 'patch': {
        const patchType = patchTypeFromContentType(contentType);
        if (!patchType) throw unsupportedPatch(contentType);
        const body = patchType === 'apply' ? decodeYamlOrJson(raw) : decodeJson(raw);
        const { object, created } = api.patch(rt, namespace, name ?? '', patchType, body, {
          ...write,
          fieldManager: query.get('fieldManager') ?? undefined,
          force: queryFlag(query, 'force'),
        });
        return warned(new Reply(created ? 201 : 200, object));
      }
      case 'delete': {
        const deleted = api.delete(rt, namespace, name ?? '', { dryRun });
        return new Reply(200, deleted);
      }
      case 'deletecollection': {
        const result = api.deleteCollection(rt, namespace, { ...listOptions(query), dryRun });
        return new Reply(200, {
          kind: rt.listKind,
          apiVersion: rt.apiVersion,
          metadata: { resourceVersion: result.resourceVersion },
          items: result.items,
        });
      }
      default:
        throw new KubeApiError('MethodNotAllowed', `the server does not allow the method for ${rt.plural}`);
    }
  }

  async #readBody(req: http.IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > this.#options.maxBodyBytes) {
        throw new KubeApiError(
          'RequestEntityTooLarge',
          `the request body is larger than ${this.#options.maxBodyBytes} bytes`,
        );
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  #send(res: http.ServerResponse, reply: Reply): void {
    const payload = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'Content-Type': reply.contentType,
      'Content-Length': Buffer.byteLength(payload),
      'Cache-Control': 'no-cache, private',
      ...(reply.warnings.length > 0 ? { Warning: [...reply.warnings] } : {}),
    });
    res.end(payload);
  }

  #sendError(res: http.ServerResponse, error: unknown): void {
    const apiError =
      error instanceof KubeApiError
        ? error
        : new KubeApiError(
            'InternalError',
            `Internal error occurred: ${(error as Error)?.message ?? String(error)}`,
          );
    if (!(error instanceof KubeApiError)) this.#options.logger.error({ err: error }, 'request failed');
    if (res.headersSent) {
      res.end();
      return;
    }
    if (apiError.details?.retryAfterSeconds !== undefined && !res.hasHeader('Retry-After')) {
      res.setHeader('Retry-After', String(apiError.details.retryAfterSeconds));
    }
    this.#send(res, new Reply(apiError.code, apiError.toStatus()));
  }
}

function reasonFor(status: number): Exclude<StatusReason, ''> {
  const table: Record<number, Exclude<StatusReason, ''>> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    409: 'Conflict',
    410: 'Expired',
    413: 'RequestEntityTooLarge',
    422: 'Invalid',
    429: 'TooManyRequests',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return table[status] ?? 'InternalError';
}

function listOptions(query: URLSearchParams) {
  const limit = query.get('limit');
  return {
    labelSelector: query.get('labelSelector') ?? undefined,
    fieldSelector: query.get('fieldSelector') ?? undefined,
    limit: limit ? Number(limit) : undefined,
    continue: query.get('continue') ?? undefined,
  };
}

/** Whether an Accept header takes JSON (kubectl asks `/openapi/v2` as protobuf only). */
function acceptsJson(accept: string | undefined): boolean {
  return !accept || /application\/json|\*\/\*/.test(accept);
}

function unsupportedPatch(contentType: string | undefined): KubeApiError {
  return new KubeApiError(
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType ?? 'none'})`,
  );
}

function decodeJson(raw: Buffer): unknown {
  if (raw.length === 0) throw badRequest('the request has no body; send a JSON document');
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw badRequest(`the body of the request is not valid JSON: ${(error as Error).message}`);
  }
}

function decodeYamlOrJson(raw: Buffer): unknown {
  if (raw.length === 0) throw badRequest('the request has no body; send a YAML or JSON document');
  try {
    return parseYaml(raw.toString('utf8'));
  } catch (error) {
    throw badRequest(`the body of the request is not valid YAML or JSON: ${(error as Error).message}`);
  }
}

function decodeBody(raw: Buffer, contentType: string | undefined): unknown {
  if (isKubeProtobuf(raw)) return decodeKubeProtobuf(raw);
  assertBodyMediaType(contentType);
  if (contentType?.includes('yaml')) return decodeYamlOrJson(raw);
  return decodeJson(raw);
}

const withName = (name: string | undefined): { name?: string } => (name ? { name } : {});
