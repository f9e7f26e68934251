import type { ResourceApi } from '../api/resourceApi.js';
import type { EventRecorder } from '../events/eventRecorder.js';
import { rfc3339 } from '../pods/rfc3339.js';
import type { ObjectStore, StoreEvent } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import { controlledBy, isReady, ownerRef } from './ownership.js';
import { keyOf, splitKey, WorkQueue } from './workQueue.js';

const JOBS = resourceByPath('batch/v1', 'jobs')!;
const PODS = resourceByPath('v1', 'pods')!;

interface JobSpec {
  parallelism?: number;
  completions?: number;
  backoffLimit?: number;
  suspend?: boolean;
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: unknown;
  };
}

const phaseOf = (pod: KubeObject): string | undefined =>
  (pod.status as { phase?: string } | undefined)?.phase;

/**
 * Jobs run pods to completion, as kube-controller-manager's job controller does: up to `parallelism`
 * pods at a time until `completions` of them succeeded (condition Complete) or more than
 * `backoffLimit` failed (condition Failed, BackoffLimitExceeded). Status counts active, ready,
 * succeeded and failed pods; SuccessfulCreate and Completed are recorded as Events.
 */
export class JobController {
  readonly #queue: WorkQueue;
  readonly #unsubscribe: () => void;

  constructor(
    private readonly store: ObjectStore,
    private readonly api: ResourceApi,
    private readonly events: EventRecorder,
    logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.#queue = new WorkQueue('jobs', (key) => this.#reconcile(key), logger);
    this.#unsubscribe = store.onChange((event) => this.#onChange(event));
    for (const job of store.list(JOBS)) this.#queue.enqueue(keyOf(job.metadata.namespace, job.metadata.name));
  }

  close(): void {
    this.#unsubscribe();
    this.#queue.close();
  }

  #onChange({ resource, object }: StoreEvent): void {
    if (resource === JOBS) this.#queue.enqueue(keyOf(object.metadata.namespace, object.metadata.name));
    if (resource === PODS) {
      for (const ref of object.metadata.ownerReferences ?? [])
        if (ref.kind === 'Job' && ref.controller)
          this.#queue.enqueue(keyOf(object.metadata.namespace, ref.name));
    }
  }

  #reconcile(key: string): void {
    const [namespace, name] = splitKey(key);
    const stored = this.store.get(JOBS, namespace, name);
    if (!stored) return;
    const job = this.#withSelector(stored);
    const spec = (job.spec ?? {}) as JobSpec;
    const status = (job.status ?? {}) as Record<string, unknown>;
    const finished = ((status.conditions ?? []) as { type: string; status: string }[]).some(
      (c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
    );
    const pods = this.store.list(PODS, namespace).filter((pod) => controlledBy(pod, job));
    const succeeded = pods.filter((p) => phaseOf(p) === 'Succeeded').length;
    const failed = pods.filter((p) => phaseOf(p) === 'Failed').length;
    const active = pods.filter((p) => phaseOf(p) !== 'Succeeded' && phaseOf(p) !== 'Failed');
    const completions = spec.completions ?? 1;
    const now = rfc3339(this.now());
    const next: Record<string, unknown> = {
      ...status,
      startTime: status.startTime ?? now,
      active: active.length,
      ready: active.filter(isReady).length,
      succeeded,
      failed,
      terminating: 0,
      uncountedTerminatedPods: {},
    };
    if (!finished) {
      if (succeeded >= completions) {
        this.#finish(job, active, next, now, [
          {
            type: 'SuccessCriteriaMet',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
          {
            type: 'Complete',
            reason: 'CompletionsReached',
            message: 'Reached expected number of succeeded pods',
          },
        ]);
        next.completionTime = now;
        this.events.record(job, {
          type: 'Normal',
          reason: 'Completed',
          message: 'Job completed',
          component: 'job-controller',
        });
      } else if (failed > (spec.backoffLimit ?? 6)) {
        const message = 'Job has reached the specified backoff limit';
        this.#finish(job, active, next, now, [
          { type: 'FailureTarget', reason: 'BackoffLimitExceeded', message },
          { type: 'Failed', reason: 'BackoffLimitExceeded', message },
        ]);
        this.events.record(job, {
          type: 'Warning',
          reason: 'BackoffLimitExceeded',
          message,
          component: 'job-controller',
        });
      } else if (!spec.suspend) {
        const wanted = Math.min(spec.parallelism ?? 1, completions - succeeded) - active.length;
        for (let i = 0; i < wanted; i += 1) this.#createPod(job, spec);
        next.active = active.length + Math.max(0, wanted);
      }
    }
    const fresh = this.store.get(JOBS, namespace, name);
    if (!fresh || JSON.stringify(fresh.status) === JSON.stringify(next)) return;
    this.store.update(JOBS, { ...fresh, status: next, metadata: { ...fresh.metadata, resourceVersion: '' } });
  }

  /**
   * The selector and pod labels kube-apiserver gives a Job on create (`batch.kubernetes.io/controller-uid`),
   * so `kubectl logs job/NAME` and `-o wide` find its pods; kept as they are under `manualSelector`.
   */
  #withSelector(job: KubeObject): KubeObject {
    const spec = (job.spec ?? {}) as JobSpec & { selector?: unknown; manualSelector?: boolean };
    if (spec.selector || spec.manualSelector) return job;
    const uid = job.metadata.uid ?? '';
    const labels = this.#podLabels(job, spec);
    return this.store.update(JOBS, {
      ...job,
      metadata: { ...job.metadata, resourceVersion: '' },
      spec: {
        ...spec,
        selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } },
        template: { ...spec.template, metadata: { ...(spec.template?.metadata ?? {}), labels } },
      },
    });
  }

  #podLabels(job: KubeObject, spec: JobSpec): Record<string, string> {
    const uid = job.metadata.uid ?? '';
    const jobName = job.metadata.name ?? '';
    return {
      ...(spec.template?.metadata?.labels ?? {}),
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': jobName,
      'controller-uid': uid,
      'job-name': jobName,
    };
  }

  #finish(
    job: KubeObject,
    active: readonly KubeObject[],
    status: Record<string, unknown>,
    now: string,
    conditions: { type: string; reason: string; message: string }[],
  ): void {
    for (const pod of active) this.store.delete(PODS, job.metadata.namespace, pod.metadata.name ?? '');
    status.active = 0;
    status.ready = 0;
    status.conditions = conditions.map((c) => ({
      ...c,
      status: 'True',
      lastProbeTime: now,
      lastTransitionTime: now,
    }));
  }

  #createPod(job: KubeObject, spec: JobSpec): void {
    const jobName = job.metadata.name ?? '';
    const labels = this.#podLabels(job, spec);
    const pod = this.api.create(PODS, job.metadata.namespace, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        ...(spec.template?.metadata ?? {}),
        generateName: `${jobName}-`,
        namespace: job.metadata.namespace,
        labels,
        ownerReferences: [ownerRef(job)],
      },
      spec: structuredClone(spec.template?.spec ?? {}),
    });
    this.events.record(job, {
      type: 'Normal',
      reason: 'SuccessfulCreate',
      message: `Created pod: ${pod.metadata.name}`,
      component: 'job-controller',
    });
  }
}
