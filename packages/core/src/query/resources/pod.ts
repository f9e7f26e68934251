import type { Writable } from 'node:stream';
import type { KubeObject } from '../../cluster/kubeObject.js';
import { diagnosePod } from '../diagnosis/diagnosePod.js';
import type { PodDiagnosis } from '../diagnosis/diagnosis.js';
import { brokenReason, podDisplayStatus, podRestarts } from '../diagnosis/podHealth.js';
import { formatAge } from '../format/duration.js';
import type { KindTypes } from '../kinds.js';
import type { QueryRuntime } from '../queryRuntime.js';
import { KubeResource } from './kubeResource.js';
import { type ExecOptions, type ExecResult, execInPod } from './podExec.js';
import { asPod, conditionOf, type PodJson } from './podShapes.js';

// Other kinds by the registry's names (query/kindRegistry.ts), so kinds need not import each other.
type EventQuery = KindTypes['events']['query'];
type KubeNode = KindTypes['nodes']['resource'];

export interface LogsOptions {
  /** @default the pod's first container */
  container?: string;
  /** Only lines of the last N seconds. */
  sinceSeconds?: number;
  /** Only the last N lines. */
  tailLines?: number;
  /** The previous (crashed) run's log. @default false */
  previous?: boolean;
  /** Prefix lines with RFC 3339 timestamps. @default false */
  timestamps?: boolean;
}

export interface StreamLogsOptions extends LogsOptions {
  /** Keep streaming as the container writes. @default false */
  follow?: boolean;
  /** Stops the stream. */
  signal?: AbortSignal;
}

function logQuery(options: LogsOptions): Record<string, string | number | boolean | undefined> {
  return {
    container: options.container,
    sinceSeconds: options.sinceSeconds,
    tailLines: options.tailLines,
    previous: options.previous || undefined,
    timestamps: options.timestamps || undefined,
  };
}

/** A Pod: phase, images, restarts, readiness, logs, exec, and a diagnosis of what is wrong. */
export class KubePod extends KubeResource {
  constructor(runtime: QueryRuntime, raw: KubeObject) {
    super(runtime, 'pods', raw);
  }

  protected get json(): PodJson {
    return asPod(this.raw);
  }

  get phase(): string {
    return this.json.status?.phase ?? 'Unknown';
  }

  /** As kubectl's STATUS column: CrashLoopBackOff, ImagePullBackOff, Terminating, ..., else the phase. */
  override get status(): string {
    return podDisplayStatus(this.raw);
  }

  /** The image of the first container. */
  get image(): string {
    return this.images[0] ?? '';
  }

  get images(): string[] {
    return (this.json.spec?.containers ?? []).map((c) => c.image ?? '');
  }

  get containers(): string[] {
    return (this.json.spec?.containers ?? []).map((c) => c.name);
  }

  /** Restarts of every container. */
  get restarts(): number {
    return podRestarts(this.raw);
  }

  /** The Ready condition is True. */
  get ready(): boolean {
    return conditionOf(this.json, 'Ready')?.status === 'True';
  }

  get nodeName(): string | undefined {
    return this.json.spec?.nodeName;
  }

  get ip(): string | undefined {
    return this.json.status?.podIP;
  }

  /** Why the pod counts as broken (`CrashLoopBackOff`, `PendingTooLong`, ...), or undefined. */
  get brokenReason(): string | undefined {
    const s = this.runtime.settings;
    return brokenReason(this.raw, {
      now: s.now(),
      pendingTooLongMs: s.pendingTooLongMs,
      notReadyTooLongMs: s.notReadyTooLongMs,
      recentFailureMs: s.recentFailureMs,
    });
  }

  get broken(): boolean {
    return this.brokenReason !== undefined;
  }

  override columns(): Record<string, unknown> {
    const statuses = this.json.status?.containerStatuses ?? [];
    return {
      namespace: this.namespace,
      name: this.name,
      ready: `${statuses.filter((c) => c.ready).length}/${this.containers.length}`,
      status: this.status,
      restarts: this.restarts,
      age: formatAge(this.age),
      ip: this.ip,
      node: this.nodeName,
      image: this.image,
    };
  }

  /** The container's log (text). */
  logs(options: LogsOptions = {}): Promise<string> {
    return this.runtime.context.client.request<string>('GET', `${this.path}/log`, {
      query: logQuery(options),
      responseType: 'text',
    });
  }

  /**
   * Streams the container's log into `sink` as the API server sends it, never holding the whole log:
   * while `sink` is full the stream waits. With `follow` it goes on until the container stops or
   * `signal` aborts. Resolves when the log ended (`sink` is not ended).
   */
  streamLogs(sink: Writable, options: StreamLogsOptions = {}): Promise<void> {
    return this.runtime.context.client.streamTo(
      `${this.path}/log`,
      { ...logQuery(options), follow: options.follow || undefined },
      sink,
      options.signal ? { signal: options.signal } : {},
    );
  }

  /**
   * Runs a command in the pod (the exec subresource, over WebSocket) and returns its output and exit
   * code; a string runs through `sh -c`. A non-zero exit code is a result, not an error.
   */
  exec(command: string | readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const { context, settings } = this.runtime;
    return execInPod(
      context.client,
      context.clock,
      {
        namespace: this.namespace ?? context.namespace,
        name: this.name,
        command: typeof command === 'string' ? ['sh', '-c', command] : command,
      },
      { ...options, timeoutMs: options.timeoutMs ?? settings.execTimeoutMs },
    );
  }

  /** The node the pod runs on, or undefined while it has none. */
  async node(): Promise<KubeNode | undefined> {
    const name = this.nodeName;
    return name ? this.runtime.query('nodes').named(name).firstOrUndefined() : undefined;
  }

  /** Events about this pod (by name and uid, in its namespace). */
  events(): EventQuery {
    const uid = this.uid;
    const query = this.runtime
      .query('events')
      .inNamespace(this.namespace ?? '')
      .forObject('Pod', this.name);
    return uid
      ? query.where((e) => e.involvedObject.uid === undefined || e.involvedObject.uid === uid, 'same pod uid')
      : query;
  }

  /** Reads the pod's status and Events and says what is wrong, with evidence and a suggested fix. */
  async explainError(): Promise<PodDiagnosis> {
    const [fresh, events] = await Promise.all([this.refresh(), this.events().fresh().all()]);
    const s = this.runtime.settings;
    return diagnosePod(
      fresh.raw,
      events.map((e) => e.raw),
      {
        now: s.now(),
        pendingTooLongMs: s.pendingTooLongMs,
        notReadyTooLongMs: s.notReadyTooLongMs,
        recentFailureMs: s.recentFailureMs,
      },
    );
  }
}
