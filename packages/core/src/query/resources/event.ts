import type { KubeObject } from '../../cluster/kubeObject.js';
import { formatAge } from '../format/duration.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';

interface EventJson extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string; fieldPath?: string };
  source?: { component?: string; host?: string };
}

/** An Event (named so to avoid the global `Event`): what happened to which object, how often, and when last. */
export class KubeEvent extends KubeResource {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'events', raw);
  }

  protected get json(): EventJson {
    return this.raw as EventJson;
  }

  /** `Normal` or `Warning`. */
  get type(): string {
    return this.json.type ?? 'Normal';
  }

  override get status(): string {
    return this.type;
  }

  get reason(): string {
    return this.json.reason ?? '';
  }

  get message(): string {
    return this.json.message ?? '';
  }

  get count(): number {
    return this.json.count ?? 1;
  }

  get involvedObject(): {
    kind?: string;
    name?: string;
    namespace?: string;
    uid?: string;
    fieldPath?: string;
  } {
    return this.json.involvedObject ?? {};
  }

  get source(): string | undefined {
    return this.json.source?.component;
  }

  /** When it last happened. */
  get lastSeen(): Date | undefined {
    const text = this.json.lastTimestamp ?? this.json.eventTime ?? this.json.firstTimestamp;
    return text ? new Date(text) : undefined;
  }

  override columns(): Record<string, unknown> {
    const seen = this.lastSeen?.getTime();
    return {
      namespace: this.namespace,
      lastSeen: formatAge(seen === undefined ? undefined : this.runtime.settings.now() - seen),
      type: this.type,
      reason: this.reason,
      object: `${(this.involvedObject.kind ?? '').toLowerCase()}/${this.involvedObject.name ?? ''}`,
      message: this.message,
    };
  }
}
