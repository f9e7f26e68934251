/**
 * Services declared by alias on one `KubeSmart`: what every framework adapter exposes (Express's
 * `req.kube`, Fastify's `fastify.kube`, Nest's `@InjectService`), with one health summary, the HTTP
 * answer of a health route, and a start that honours `failFast`. Adapters stay thin by calling this
 * instead of repeating it, and all of them take these options.
 */
import { InvalidArgumentError } from '../errors.js';
import type { ServiceStatus } from '../service/serviceStatus.js';
import type { SmartService } from '../service/smartService.js';
import type { SmartServiceOptions } from '../service/smartServiceOptions.js';
import { createKubeSmart, type KubeSmart } from './kubeSmart.js';
import type { KubeSmartOptions } from './kubeSmartOptions.js';

/** A declared service: its Kubernetes Service name, or the name with that service's options. */
export type ServiceSpec = string | (SmartServiceOptions & { name: string });

/** Services by alias. */
export type ServiceMap = Readonly<Record<string, ServiceSpec>>;

/** Core options (or an existing instance) plus the services to declare, by alias. */
export interface BindingOptions<S extends ServiceMap = ServiceMap> extends KubeSmartOptions {
  /** An existing instance to use instead of creating one from the other options; it is never closed here. */
  kubeSmart?: KubeSmart;
  /** Services by alias: `{ backend: 'my-backend' }` or `{ backend: { name, namespace?, ...options } }`. @default {} */
  services?: S;
  /**
   * Make the adapter's start (Fastify's `register`, Nest's module init, Express's `start()`) wait
   * until every declared service has its first endpoints, and fail when the cluster cannot be
   * reached. Otherwise the app starts and health reports down until discovery answers.
   * @default false
   */
  failFast?: boolean | { timeoutMs: number };
  /**
   * Serve `GET <prefix>/status` and `GET <prefix>/healthz` (200 up, 503 down, with details) from
   * the adapter. `true` uses the prefix `/kubesmart`.
   * @default false
   */
  routes?: boolean | { prefix?: string };
}

/** What adapters hand to handlers (`req.kube`, `fastify.kube`): the instance, the services, KV, health. */
export interface BindingContext<A extends string = string> {
  /** The core instance. */
  readonly kubeSmart: KubeSmart;
  /** Every declared service by alias: `kube.services.backend.fetch('/orders')`. */
  readonly services: Readonly<Record<A, SmartService>>;
  /** A key/value bucket: `await kube.kv('feature-flags').get('checkout')`. */
  readonly kv: KubeSmart['kv'];
  /** Resolves when every declared service has its first endpoints; rejects with the first error. */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  /** Health of the declared services: up when each has an endpoint that can take requests. */
  health(): BindingHealth;
  /** The answer of a health route: 200 with the health when up, 503 when down. */
  healthResponse(): HealthResponse;
  /** `status()` of every declared service, by alias. */
  status(): Record<A, ServiceStatus>;
}

/** A health route's answer: the status code and the JSON body. */
export interface HealthResponse {
  statusCode: 200 | 503;
  body: BindingHealth;
}

/** Health of one declared service: up when discovery answered and an endpoint can take requests. */
export interface ServiceHealth {
  status: 'up' | 'down';
  service: string;
  namespace: string;
  ready: boolean;
  stale: boolean;
  endpoints: number;
  available: number;
  error?: string;
}

/** Health of every declared service: up when each one is up. */
export interface BindingHealth {
  status: 'up' | 'down';
  services: Record<string, ServiceHealth>;
}

export interface ServiceBinding<A extends string = string> extends BindingContext<A> {
  /** The frozen context for handlers; the same functions as the binding's own. */
  readonly context: BindingContext<A>;
  /** Prefix of the status and health routes, from `routes`; undefined when they are off. */
  readonly routesPrefix: string | undefined;
  /**
   * The adapter's start: with `failFast`, waits for `ready()` and, when that fails, closes what was
   * created here and rethrows; without, resolves at once.
   */
  start(): Promise<void>;
  /** Closes the instance when it was created here; an instance passed in is left to its owner. */
  close(): Promise<void>;
}

/** Creates (or takes) a `KubeSmart` and declares `services` on it by alias. */
export function bindServices<S extends ServiceMap>(
  options: BindingOptions<S> = {},
): ServiceBinding<Extract<keyof S, string>> {
  type A = Extract<keyof S, string>;
  const { kubeSmart, services = {} as S, failFast, routes, ...coreOptions } = options;
  const extra = Object.keys(coreOptions).filter(
    (k) => coreOptions[k as keyof KubeSmartOptions] !== undefined,
  );
  if (kubeSmart && extra.length > 0) {
    throw new InvalidArgumentError(
      `Pass either an existing \`kubeSmart\` instance or the options to create one, not both (got kubeSmart with ${extra.join(', ')}); configure the instance where it is created.`,
    );
  }
  const ks = kubeSmart ?? createKubeSmart(coreOptions);
  const bound = {} as Record<A, SmartService>;
  for (const [alias, spec] of Object.entries(services) as [A, ServiceSpec][]) {
    if (typeof spec === 'string' && spec !== '') bound[alias] = ks.service(spec);
    else if (typeof spec === 'object' && spec !== null && typeof spec.name === 'string') {
      const { name, ...serviceOptions } = spec;
      bound[alias] = ks.service(name, serviceOptions);
    } else {
      throw new InvalidArgumentError(
        `services.${alias} must be a Service name or { name, namespace?, ...serviceOptions }, got ${JSON.stringify(spec)}.`,
      );
    }
  }
  const entries = Object.entries(bound) as [A, SmartService][];
  const ready = async (readyOptions?: { timeoutMs?: number }): Promise<void> => {
    await Promise.all(entries.map(([, svc]) => svc.ready(readyOptions)));
  };
  const health = (): BindingHealth => {
    const report: BindingHealth = { status: 'up', services: {} };
    for (const [alias, svc] of entries) {
      const s = svc.status();
      const up = s.ready && !s.closed && s.available > 0;
      if (!up) report.status = 'down';
      report.services[alias] = {
        status: up ? 'up' : 'down',
        service: s.service,
        namespace: s.namespace,
        ready: s.ready,
        stale: s.stale,
        endpoints: s.endpointCount,
        available: s.available,
        ...(s.lastError ? { error: s.lastError.message } : {}),
      };
    }
    return report;
  };
  const healthResponse = (): HealthResponse => {
    const body = health();
    return { statusCode: body.status === 'up' ? 200 : 503, body };
  };
  const status = (): Record<A, ServiceStatus> => {
    const out = {} as Record<A, ServiceStatus>;
    for (const [alias, svc] of entries) out[alias] = svc.status();
    return out;
  };
  const close = (): Promise<void> => (kubeSmart ? Promise.resolve() : ks.close());
  const context: BindingContext<A> = Object.freeze({
    kubeSmart: ks,
    services: Object.freeze(bound),
    kv: ks.kv.bind(ks),
    ready,
    health,
    healthResponse,
    status,
  });
  return {
    ...context,
    context,
    routesPrefix: routes
      ? ((typeof routes === 'object' ? routes.prefix : undefined) ?? '/kubesmart')
      : undefined,
    async start() {
      if (!failFast) return;
      try {
        await ready(typeof failFast === 'object' ? failFast : undefined);
      } catch (error) {
        await close();
        throw error;
      }
    },
    close,
  };
}
