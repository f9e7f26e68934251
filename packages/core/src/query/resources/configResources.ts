import type { KubeObject } from '../../cluster/kubeObject.js';
import { formatAge } from '../format/duration.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';

/** A ConfigMap: its keys and data. */
export class KubeConfigMap extends KubeResource {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'configmaps', raw);
  }

  get data(): Readonly<Record<string, string>> {
    return (this.raw.data as Record<string, string> | undefined) ?? {};
  }

  get keys(): string[] {
    return Object.keys(this.data).sort();
  }

  override get status(): string {
    return `${this.keys.length} key(s)`;
  }

  override columns(): Record<string, unknown> {
    return { namespace: this.namespace, name: this.name, data: this.keys.length, age: formatAge(this.age) };
  }
}

/**
 * A Secret, metadata only unless the query asked `withData()`: `raw` then lacks `data` and
 * `stringData`, and only the key names remain.
 */
export class KubeSecret extends KubeResource {
  readonly #keys: string[];
  readonly #withData: boolean;

  constructor(runtime: QueryRuntime, raw: KubeObject, withData = false) {
    const { data, stringData: _stringData, ...rest } = raw;
    super(runtime, 'secrets', withData ? raw : rest);
    this.#keys = Object.keys((data as Record<string, string> | undefined) ?? {}).sort();
    this.#withData = withData;
  }

  /** `Opaque`, `kubernetes.io/tls`, ... */
  get type(): string {
    return (this.raw.type as string | undefined) ?? 'Opaque';
  }

  override get status(): string {
    return this.type;
  }

  get keys(): string[] {
    return this.#keys;
  }

  /** Whether the values were kept (`withData()`). */
  get hasData(): boolean {
    return this.#withData;
  }

  /** A value, base64-decoded; undefined without `withData()` or for a missing key. */
  value(key: string): string | undefined {
    const encoded = (this.raw.data as Record<string, string> | undefined)?.[key];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
  }

  override columns(): Record<string, unknown> {
    return {
      namespace: this.namespace,
      name: this.name,
      type: this.type,
      data: this.keys.length,
      age: formatAge(this.age),
    };
  }

  protected override rewrap(object: KubeObject): this {
    return this.runtime.wrap('secrets', object, { withData: this.#withData }) as unknown as this;
  }
}
