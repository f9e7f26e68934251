import type { KubeObject } from '../../cluster/kubeObject.js';
import { ENDPOINTS, resourcePath } from '../../cluster/resources.js';
import { KubeObjectNotFoundError } from '../../errors.js';
import { formatAge } from '../format/duration.js';
import type { KindTypes } from '../kinds.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';

// Other kinds by the registry's names (query/kindRegistry.ts), so kinds need not import each other.
type PodQuery = KindTypes['pods']['query'];
type EndpointSliceQuery = KindTypes['endpointslices']['query'];

/** The label that ties an EndpointSlice to its Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

interface ServiceJson extends KubeObject {
  spec?: {
    type?: string;
    clusterIP?: string;
    selector?: Record<string, string>;
    ports?: { name?: string; port?: number; targetPort?: number | string; protocol?: string }[];
  };
}

export interface SliceEndpointJson {
  addresses?: string[];
  conditions?: { ready?: boolean; serving?: boolean; terminating?: boolean };
  targetRef?: { kind?: string; name?: string; namespace?: string; uid?: string };
  nodeName?: string;
  zone?: string;
}

interface SliceJson extends KubeObject {
  addressType?: string;
  endpoints?: SliceEndpointJson[];
  ports?: { name?: string; port?: number; protocol?: string }[];
}

interface LegacyEndpointsJson extends KubeObject {
  subsets?: { addresses?: { ip?: string }[] }[];
}

/** The raw objects behind a Service's endpoints. */
export interface RawEndpoints {
  readonly endpointSlices: readonly KubeObject[];
  /** The legacy Endpoints object, if the cluster keeps one. */
  readonly endpoints: KubeObject | undefined;
}

/** A Service: type, ports, DNS name, and its endpoints and pods. */
export class KubeService extends KubeResource {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'services', raw);
  }

  protected get json(): ServiceJson {
    return this.raw as ServiceJson;
  }

  /** ClusterIP, NodePort, LoadBalancer or ExternalName. */
  get type(): string {
    return this.json.spec?.type ?? 'ClusterIP';
  }

  override get status(): string {
    return this.type;
  }

  get clusterIP(): string | undefined {
    return this.json.spec?.clusterIP;
  }

  get ports(): { name?: string; port?: number; targetPort?: number | string; protocol?: string }[] {
    return this.json.spec?.ports ?? [];
  }

  get selector(): Readonly<Record<string, string>> {
    return this.json.spec?.selector ?? {};
  }

  /** `name.namespace.svc.cluster.local` (the engine's `clusterDomain`). */
  get fqdn(): string {
    return `${this.name}.${this.namespace}.svc.${this.runtime.settings.clusterDomain}`;
  }

  override columns(): Record<string, unknown> {
    return {
      namespace: this.namespace,
      name: this.name,
      type: this.type,
      clusterIP: this.clusterIP,
      ports: this.ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}`),
      age: formatAge(this.age),
    };
  }

  /** The EndpointSlices of this Service (label `kubernetes.io/service-name`). */
  endpointSlices(): EndpointSliceQuery {
    return this.runtime
      .query('endpointslices')
      .inNamespace(this.namespace ?? '')
      .withLabels({ [SERVICE_NAME_LABEL]: this.name });
  }

  /** The pods behind the Service: EndpointSlices, then the pods they point to. */
  pods(): PodQuery {
    return this.endpointSlices().pods();
  }

  /** The pods the Service's selector matches, endpoints or not (to check the selector). */
  selectedPods(): PodQuery {
    const selector = this.selector;
    const query = this.runtime.query('pods').inNamespace(this.namespace ?? '');
    return Object.keys(selector).length === 0 ? query.named() : query.withLabels(selector);
  }

  /** The EndpointSlices, and the legacy Endpoints object when there is one. */
  async rawEndpoints(): Promise<RawEndpoints> {
    const [slices, endpoints] = await Promise.all([
      this.endpointSlices().fresh().all(),
      this.#legacyEndpoints(),
    ]);
    return { endpointSlices: slices.map((s) => s.raw), endpoints };
  }

  /** Addresses of ready endpoints (EndpointSlices, else the legacy Endpoints). */
  async endpointIps(): Promise<string[]> {
    const { endpointSlices, endpoints } = await this.rawEndpoints();
    const ips = new Set<string>();
    for (const slice of endpointSlices as SliceJson[]) {
      for (const e of slice.endpoints ?? [])
        if (e.conditions?.ready !== false) for (const a of e.addresses ?? []) ips.add(a);
    }
    if (endpointSlices.length === 0) {
      for (const subset of (endpoints as LegacyEndpointsJson | undefined)?.subsets ?? []) {
        for (const a of subset.addresses ?? []) if (a.ip) ips.add(a.ip);
      }
    }
    return [...ips];
  }

  async #legacyEndpoints(): Promise<KubeObject | undefined> {
    try {
      return await this.runtime.context.client.request<KubeObject>(
        'GET',
        resourcePath(ENDPOINTS, this.namespace, this.name),
      );
    } catch (error) {
      if (error instanceof KubeObjectNotFoundError) return undefined;
      throw error;
    }
  }
}

/** An EndpointSlice: the addresses of (part of) a Service and the pods behind them. */
export class KubeEndpointSlice extends KubeResource {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'endpointslices', raw);
  }

  protected get json(): SliceJson {
    return this.raw as SliceJson;
  }

  get serviceName(): string | undefined {
    return this.labels[SERVICE_NAME_LABEL];
  }

  get addressType(): string {
    return this.json.addressType ?? '';
  }

  get endpoints(): SliceEndpointJson[] {
    return this.json.endpoints ?? [];
  }

  get addresses(): string[] {
    return this.endpoints.flatMap((e) => e.addresses ?? []);
  }

  get readyAddresses(): string[] {
    return this.endpoints.filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses ?? []);
  }

  /** Names of the pods the endpoints point to. */
  get podNames(): string[] {
    return this.endpoints.flatMap((e) =>
      e.targetRef?.kind === 'Pod' && e.targetRef.name ? [e.targetRef.name] : [],
    );
  }

  override get status(): string {
    return `${this.readyAddresses.length}/${this.addresses.length} ready`;
  }

  override columns(): Record<string, unknown> {
    return {
      namespace: this.namespace,
      name: this.name,
      service: this.serviceName,
      addressType: this.addressType,
      endpoints: this.addresses,
      age: formatAge(this.age),
    };
  }

  /** The pods this slice points to. */
  pods(): PodQuery {
    return this.runtime.query('pods', { names: this.podNames }).inNamespace(this.namespace ?? '');
  }
}
