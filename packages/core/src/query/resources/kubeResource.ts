import type { KubeObject } from '../../cluster/kubeObject.js';
import { resourcePath } from '../../cluster/resources.js';
import { formatAge } from '../format/duration.js';
import { KINDS, type KindInfo, type KindName } from '../kinds.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { waitForObject } from './waitForObject.js';

/** What `waitUntil` waits for: a phase, the object's deletion, or any check of the wrapper. */
export type WaitCondition<W> = { phase: string } | { deleted: true } | ((resource: W) => boolean);

export interface WaitOptions {
  /** @default the engine's `waitTimeoutMs` */
  timeoutMs?: number;
}

export interface DeleteOptions {
  /** @default the server's (Background for most kinds) */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
}

type Json = Record<string, unknown>;
const MERGE_PATCH = 'application/merge-patch+json';

/**
 * A Kubernetes object with sugar: typed getters over its JSON (`raw` stays available) and the
 * actions every kind shares. Wrappers are snapshots; actions return a fresh wrapper.
 */
export class KubeResource {
  readonly raw: KubeObject;
  readonly kindName: KindName;
  protected readonly runtime: QueryRuntime;

  constructor(runtime: QueryRuntime, kindName: KindName, raw: KubeObject) {
    this.runtime = runtime;
    this.kindName = kindName;
    this.raw = raw;
  }

  protected get info(): KindInfo {
    return KINDS[this.kindName];
  }

  /** `Pod`, `Deployment`, ... */
  get kind(): string {
    return this.info.kind;
  }

  get name(): string {
    return this.raw.metadata?.name ?? '';
  }

  /** Undefined for cluster-scoped kinds (nodes, namespaces). */
  get namespace(): string | undefined {
    return this.raw.metadata?.namespace;
  }

  get labels(): Readonly<Record<string, string>> {
    return this.raw.metadata?.labels ?? {};
  }

  get annotations(): Readonly<Record<string, string>> {
    return this.raw.metadata?.annotations ?? {};
  }

  get uid(): string | undefined {
    return this.raw.metadata?.uid;
  }

  get resourceVersion(): string | undefined {
    return this.raw.metadata?.resourceVersion;
  }

  get createdAt(): Date | undefined {
    const text = this.raw.metadata?.creationTimestamp;
    return typeof text === 'string' ? new Date(text) : undefined;
  }

  /** Time since creation, in ms, on the engine's wall clock. */
  get age(): number | undefined {
    const created = this.createdAt?.getTime();
    return created === undefined || Number.isNaN(created) ? undefined : this.runtime.settings.now() - created;
  }

  /** A one-word state: the phase for most kinds; kinds refine it. */
  get status(): string {
    const phase = (this.raw.status as { phase?: unknown } | undefined)?.phase;
    return typeof phase === 'string' ? phase : '';
  }

  /** `pod/web-1`, as kubectl names objects. */
  get ref(): string {
    return `${this.info.singular}/${this.name}`;
  }

  /** The usual columns of this kind, as `kubectl get` shows them. */
  columns(): Record<string, unknown> {
    return {
      ...(this.info.namespaced ? { namespace: this.namespace } : {}),
      name: this.name,
      status: this.status,
      age: formatAge(this.age),
    };
  }

  /** Sets labels (merge patch); `null` removes one. */
  setLabels(labels: Readonly<Record<string, string | null>>): Promise<this> {
    return this.patch({ metadata: { labels } });
  }

  /** Sets annotations (merge patch); `null` removes one. */
  annotate(annotations: Readonly<Record<string, string | null>>): Promise<this> {
    return this.patch({ metadata: { annotations } });
  }

  async delete(options: DeleteOptions = {}): Promise<void> {
    const body = { kind: 'DeleteOptions', apiVersion: 'v1', ...options };
    await this.runtime.context.client.request('DELETE', this.path, { body });
  }

  /** The object as the API server has it now. */
  async refresh(): Promise<this> {
    return this.rewrap(await this.runtime.context.client.request<KubeObject>('GET', this.path));
  }

  /**
   * Waits until the object reaches a phase, is deleted, or passes a check, following a watch of it
   * (no polling). Resolves with the object as it then is (this snapshot when deleted); rejects with
   * `CallTimeoutError` after `timeoutMs`.
   */
  async waitUntil(condition: WaitCondition<this>, options: WaitOptions = {}): Promise<this> {
    const timeoutMs = options.timeoutMs ?? this.runtime.settings.waitTimeoutMs;
    const phaseOf = (o: KubeObject | undefined): unknown => (o?.status as Json | undefined)?.phase;
    let test: (o: KubeObject | undefined) => boolean;
    let what: string;
    if (typeof condition === 'function') {
      test = (o) => o !== undefined && condition(this.rewrap(o));
      what = `${this} to pass the check`;
    } else if ('deleted' in condition) {
      test = (o) => o === undefined;
      what = `${this} to be deleted`;
    } else {
      test = (o) => phaseOf(o) === condition.phase;
      what = `${this} to reach phase ${condition.phase}`;
    }
    const object = await waitForObject(this.runtime.context, {
      ref: this.info.ref,
      namespace: this.namespace,
      name: this.name,
      test,
      timeoutMs,
      what,
      describe: (o) =>
        o === undefined
          ? 'not found'
          : `phase ${String(phaseOf(o) ?? '(none)')}, resourceVersion ${o.metadata?.resourceVersion}`,
    });
    return object === undefined ? this : this.rewrap(object);
  }

  toJSON(): KubeObject {
    return this.raw;
  }

  toString(): string {
    return `${this.info.singular} ${this.namespace ? `${this.namespace}/` : ''}${this.name}`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const cells = Object.entries(this.columns())
      .filter(([key]) => key !== 'name' && key !== 'namespace')
      .map(([, value]) => String(value ?? ''));
    return `<${this.kind} ${this.namespace ? `${this.namespace}/` : ''}${this.name}: ${cells.join(' | ')}>`;
  }

  /** The URL path of this object. */
  protected get path(): string {
    return resourcePath(this.info.ref, this.namespace, this.name);
  }

  /** Sends a JSON merge patch and wraps the answer. */
  protected async patch(body: Json, subresource?: string): Promise<this> {
    const path = subresource ? `${this.path}/${subresource}` : this.path;
    return this.rewrap(
      await this.runtime.context.client.request<KubeObject>('PATCH', path, {
        body,
        contentType: MERGE_PATCH,
      }),
    );
  }

  /** A wrapper of the same kind (and class) around another version of the object. */
  protected rewrap(object: KubeObject): this {
    return this.runtime.wrap(this.kindName, object) as unknown as this;
  }
}
