/**
 * Services declared by alias on one `KubeSmart`: what every framework adapter exposes (Express's
 * `req.kube.services`, Fastify's `fastify.kube`, Nest's `@InjectService`), with one health summary.
 * Adapters stay thin by calling this instead of repeating it.
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

export interface ServiceBinding<A extends string = string> {
  readonly kubeSmart: KubeSmart;
  readonly services: Readonly<Record<A, SmartService>>;
  /** Resolves when every declared service is ready; rejects with the first service's error. */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  health(): BindingHealth;
  status(): Record<A, ServiceStatus>;
  /** Closes the instance when it was created here; an instance passed in is left to its owner. */
  close(): Promise<void>;
}

/** Creates (or takes) a `KubeSmart` and declares `services` on it by alias. */
export function bindServices<S extends ServiceMap>(
  options: BindingOptions<S> = {},
): ServiceBinding<Extract<keyof S, string>> {
  type A = Extract<keyof S, string>;
  const { kubeSmart, services = {} as S, ...coreOptions } = options;
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
  return {
    kubeSmart: ks,
    services: Object.freeze(bound),
    async ready(readyOptions) {
      await Promise.all(entries.map(([, svc]) => svc.ready(readyOptions)));
    },
    health() {
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
    },
    status() {
      const out = {} as Record<A, ServiceStatus>;
      for (const [alias, svc] of entries) out[alias] = svc.status();
      return out;
    },
    close: () => (kubeSmart ? Promise.resolve() : ks.close()),
  };
}
