import {
  type BindingContext,
  type BindingHealth,
  type BindingOptions,
  bindServices,
  InvalidArgumentError,
  type KubeSmart,
  type ServiceMap,
  type SmartService,
} from '@kubesmart/core';
import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';

export type { BindingHealth, ServiceHealth, ServiceMap, ServiceSpec } from '@kubesmart/core';

/**
 * The declared services by alias, as `req.kube.services` types them. Augment it to type your aliases:
 * `declare module '@kubesmart/express' { interface KubeSmartServices { backend: SmartService } }`.
 */
export interface KubeSmartServices {
  [alias: string]: SmartService;
}

/** What the middleware puts on every request as `req.kube`: core's binding context. */
export interface KubeContext extends Omit<BindingContext, 'services'> {
  /** Every declared service by alias: `req.kube.services.backend.fetch('/orders')`. */
  readonly services: KubeSmartServices;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by `kubeSmart()` from `@kubesmart/express`. */
      kube: KubeContext;
    }
  }
}

/**
 * Options of `kubeSmart()`, the same as every adapter's: the core's `createKubeSmart` options or
 * `{ kubeSmart: instance }`, plus `services`, `failFast` (honoured by `start()`) and `routes`.
 */
export interface KubeSmartExpressOptions<S extends ServiceMap = ServiceMap> extends BindingOptions<S> {}

/** The middleware, with the instance, the declared services and the means to wait for and stop them. */
export interface KubeSmartMiddleware<A extends string = string> extends RequestHandler {
  readonly kubeSmart: KubeSmart;
  readonly services: Readonly<Record<A, SmartService>>;
  /** Resolves when every declared service has its first endpoints; rejects with the first error. */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  health(): BindingHealth;
  /** Call before `listen()`: with `failFast`, waits for every service and rejects (closing) when one fails. */
  start(): Promise<void>;
  /** Stops watches, timers and sockets of an instance created from options; one passed in is left open. */
  close(): Promise<void>;
}

/** Express middleware that sets `req.kube` with the declared services, KV buckets and health. */
export function kubeSmart<S extends ServiceMap = Record<never, never>>(
  options: KubeSmartExpressOptions<S> = {},
): KubeSmartMiddleware<Extract<keyof S, string>> {
  const binding = bindServices(options);
  const context = binding.context as KubeContext;
  const prefix = binding.routesPrefix;
  // `req.kube` goes once onto the app's request prototype (`app.request`, which has an own `app`):
  // adding an own property to every request costs more than the rest of the middleware. Where that
  // prototype already holds another kubeSmart() context, or is not an app's, it is set per request.
  let installedOn: { kube?: KubeContext } | undefined;
  const middleware = (req: Request, res: Response, next: NextFunction): void => {
    if (prefix !== undefined && req.method === 'GET' && serveRoute(prefix, context, req, res)) return;
    const proto = Object.getPrototypeOf(req) as { kube?: KubeContext };
    if (proto.kube !== context) {
      if (Object.hasOwn(proto, 'kube') || !Object.hasOwn(proto, 'app')) req.kube = context;
      else {
        Object.defineProperty(proto, 'kube', { value: context, configurable: true, writable: true });
        installedOn = proto;
      }
    }
    next();
  };
  return Object.assign(middleware, {
    kubeSmart: binding.kubeSmart,
    services: binding.services,
    ready: binding.ready,
    health: binding.health,
    start: binding.start,
    close: async () => {
      if (installedOn?.kube === context) delete installedOn.kube;
      await binding.close();
    },
  });
}

/** Answers `GET <prefix>/status` and `<prefix>/healthz`; false for any other path. */
function serveRoute(prefix: string, kube: KubeContext, req: Request, res: Response): boolean {
  if (req.path === `${prefix}/status`) res.json({ services: kube.status() });
  else if (req.path === `${prefix}/healthz`) {
    const { statusCode, body } = kube.healthResponse();
    res.status(statusCode).json(body);
  } else return false;
  return true;
}

export interface KubeSmartRouterOptions {
  /** Path prefix of the routes. @default '/kubesmart' */
  prefix?: string;
}

function kubeOf(req: Request): KubeContext {
  if (req.kube === undefined) {
    throw new InvalidArgumentError(
      'kubeSmartRouter() needs the kubeSmart() middleware first: app.use(kubeSmart(options)).',
    );
  }
  return req.kube;
}

/**
 * `GET <prefix>/status` (every declared service's `status()`) and `GET <prefix>/healthz` (200 up, 503
 * down, with details per service). Mount it after the `kubeSmart()` middleware.
 */
export function kubeSmartRouter(options: KubeSmartRouterOptions = {}): Router {
  const prefix = options.prefix ?? '/kubesmart';
  const router = Router();
  router.get(`${prefix}/status`, (req, res) => {
    res.json({ services: kubeOf(req).status() });
  });
  router.get(`${prefix}/healthz`, (req, res) => {
    const { statusCode, body } = kubeOf(req).healthResponse();
    res.status(statusCode).json(body);
  });
  return router;
}
