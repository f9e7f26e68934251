import { EventRecorder } from '../events/eventRecorder.js';
import { badRequest } from '../kubeApiError.js';
import { noopLogger } from '../logger.js';
import type { ObjectStore, StoreEvent } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import type { KubeObject, Logger } from '../types.js';
import type { AttachTarget } from './containerProcess.js';
import { CONTAINER_STATES, type ContainerStateName } from './containerStates.js';
import { type ExecHandler, ExecHandlers } from './execHandlers.js';
import { FakePod, type FakePodStatus, type KubeletContext } from './fakePod.js';
import { HandlerRegistry, type PodHandlerRegistration } from './handlerRegistry.js';
import { IpAllocator } from './ipAllocator.js';
import {
  type AppendLogOptions,
  type ContainerStateOptions,
  type LogsOptions,
  type PodAddress,
  type PodFleetOptions,
  PodNotFoundError,
  type PodOptions,
} from './podFleetTypes.js';
import { PodLogs } from './podLogs.js';
import { containersStopped } from './podPlacement.js';
import { isLabelSelector } from './podSelector.js';
import type { PodHandler } from './podServers.js';
import { Scheduler } from './scheduler.js';

export type { ContainerStateName } from './containerStates.js';
export type { FakePodStatus } from './fakePod.js';
export type { PodHandlerRegistration } from './handlerRegistry.js';
export {
  type AppendLogOptions,
  type ContainerStateOptions,
  type LogsOptions,
  type PodAddress,
  type PodFleetOptions,
  PodNotFoundError,
  type PodOptions,
} from './podFleetTypes.js';
export type { PodBehaviour, PodContext, PodHandler, PodHttpHandler, PodTcpHandler } from './podServers.js';

const podKey = (namespace: string, name: string): string => `${namespace}/${name}`;
const nsOf = (options?: PodOptions): string => options?.namespace ?? 'default';

/**
 * The emulated kubelets and scheduler of the cluster (`cluster.pods`): every Pod in the store is
 * placed on a node, given a loopback IP, backed by real servers on its declared ports and probed for
 * readiness. Its methods script how those servers behave.
 */
export class PodFleet {
  readonly #store: ObjectStore;
  readonly #logger: Logger;
  readonly #ctx: KubeletContext;
  readonly #logs: PodLogs;
  readonly #events: EventRecorder;
  readonly #pods = new Map<string, FakePod>();
  readonly #handlers = new HandlerRegistry(() => this.#refreshHandlers());
  readonly #closing = new Set<Promise<void>>();
  /** Exec handlers the API server answers `pods/exec` with; register them with {@link onExec}. */
  readonly execHandlers = new ExecHandlers();
  #writingKey: string | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: PodFleetOptions) {
    const now = options.now ?? Date.now;
    this.#store = options.store;
    this.#logger = options.logger ?? noopLogger;
    this.#events = new EventRecorder({ store: this.#store, logger: this.#logger, now });
    this.#logs = new PodLogs({ now, maxLines: options.maxLogLines ?? 10_000 });
    this.#ctx = {
      store: this.#store,
      logger: this.#logger,
      now,
      events: this.#events,
      allocator: new IpAllocator({ random: options.random ?? Math.random }),
      scheduler: new Scheduler({ store: this.#store, now }),
      probeIntervalMs: options.probeIntervalMs ?? 1000,
      probeTiming: options.probeTiming ?? 'fast',
      bindAttempts: options.bindAttempts ?? 5,
      ownWrite: (key, write) => this.#ownWrite(key, write),
      appendLog: (namespace, pod, container, text) =>
        this.#logs.append(podKey(namespace, pod), container, text),
      endLog: (namespace, pod, container) => this.#logs.end(podKey(namespace, pod), container),
    };
  }

  /** Subscribes to the store and starts every pod it already holds. */
  start(): void {
    if (this.#unsubscribe) return;
    this.#unsubscribe = this.#store.onChange((event) => {
      try {
        this.#onChange(event);
      } catch (err) {
        this.#logger.error(
          { err, name: event.object.metadata.name },
          'pod fleet could not follow a pod change',
        );
      }
    });
    for (const pod of this.#store.list(resourceByPath('v1', 'pods')!)) this.#adopt(pod);
  }

  /** Stops every server, probe and timer. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const key of [...this.#pods.keys()]) this.#remove(key);
    await Promise.all([...this.#closing]);
  }

  /**
   * Replaces the default handler of a pod (by name) or of every pod matching a label selector
   * (`app=cart`: the text contains `=`), now and for pods created later. A named handler wins over
   * selector ones; the latest selector registration wins over earlier ones.
   */
  handle(podNameOrLabelSelector: string, handler: PodHandler, options?: PodOptions): PodHandlerRegistration {
    const namespace = nsOf(options);
    if (isLabelSelector(podNameOrLabelSelector)) {
      return this.#handlers.bySelector(namespace, podNameOrLabelSelector, handler);
    }
    const pod = this.#find(podNameOrLabelSelector, options);
    return this.#handlers.byName(namespace, pod.name, handler);
  }

  /**
   * Answers `kubectl exec` (and client-node's `Exec`) for a pod by name, or for every pod matching a
   * label selector (`app=cart`), in place of the default handler (`echo`, `true`, `false`).
   */
  onExec(podNameOrLabelSelector: string, handler: ExecHandler, options?: PodOptions): PodHandlerRegistration {
    return this.execHandlers.register(nsOf(options), podNameOrLabelSelector, handler);
  }

  /** Closes the pod's servers at once; its next probe marks it NotReady, then Failed (deleted when a ReplicaSet owns it). */
  kill(name: string, options?: PodOptions): Promise<void> {
    return this.#find(name, options).kill();
  }

  /** Accepts connections and reads requests but never answers. */
  hang(name: string, options?: PodOptions): void {
    this.#find(name, options).setBehaviour({ mode: 'hang' });
  }

  /** Waits `ms` before answering every request, health checks included. */
  slow(name: string, ms: number, options?: PodOptions): void {
    if (!Number.isFinite(ms) || ms < 0)
      throw new RangeError(`slow(): ms must be a non-negative number, got ${ms}`);
    this.#find(name, options).setBehaviour({ mode: 'slow', ms });
  }

  /** Answers every request, health checks included, with this HTTP status. */
  fail(name: string, status: number, options?: PodOptions): void {
    if (!Number.isInteger(status) || status < 200 || status > 599) {
      throw new RangeError(`fail(): status must be an HTTP status from 200 to 599, got ${status}`);
    }
    this.#find(name, options).setBehaviour({ mode: 'fail', status });
  }

  /** Back to normal serving; restarts servers and containers of a killed pod that still exists. */
  restore(name: string, options?: PodOptions): Promise<void> {
    return this.#find(name, options).restore();
  }

  /** Puts a container (default: the first) in a state, with the status and Events a cluster shows. */
  setContainerState(name: string, state: ContainerStateName, options?: ContainerStateOptions): Promise<void> {
    if (!CONTAINER_STATES.includes(state)) {
      throw new RangeError(`unknown container state "${state}": use one of ${CONTAINER_STATES.join(', ')}`);
    }
    return this.#find(name, options).setContainerState(state, options?.container);
  }

  /** Appends a line (or several, separated by newlines) to a container's log. */
  appendLog(name: string, line: string, options?: AppendLogOptions): void {
    const pod = this.#find(name, options);
    this.#logs.append(podKey(pod.namespace, pod.name), this.#container(pod, options?.container), line);
  }

  /** The pod's log text as `GET pods/{name}/log` serves it. */
  logs(namespace: string, name: string, options: LogsOptions = {}): string {
    const pod = this.#find(name, { namespace });
    const { tailLines, sinceSeconds, timestamps } = options;
    return this.#logs.read(podKey(pod.namespace, pod.name), this.#container(pod, options.container), {
      ...(tailLines !== undefined ? { tailLines } : {}),
      ...(sinceSeconds !== undefined ? { sinceSeconds } : {}),
      ...(timestamps ? { timestamps } : {}),
    });
  }

  /**
   * Serves `logs -f`: `onText` gets the lines the query selects now, then every line appended later;
   * `onEnd` is called once the pod goes away or the container's process exits. Returns the function
   * that stops following.
   */
  followLogs(
    namespace: string,
    name: string,
    options: LogsOptions,
    onText: (text: string) => void,
    onEnd: () => void,
  ): () => void {
    const pod = this.#find(name, { namespace });
    const key = podKey(pod.namespace, pod.name);
    const container = this.#container(pod, options.container);
    const initial = this.logs(namespace, name, options);
    if (pod.process(container)?.exitCode !== undefined) {
      // The container has exited: its log is complete.
      if (initial) onText(initial);
      onEnd();
      return () => {};
    }
    const stop = this.#logs.follow(key, container, {
      timestamps: options.timestamps ?? false,
      onText,
      onEnd,
    });
    if (initial) onText(initial);
    return stop;
  }

  /**
   * What `kubectl attach` reaches in a container: its process (output, stdin, exit) when it runs one
   * to completion, else its log from now on, like attaching to a server that only logs.
   */
  attachTarget(namespace: string, name: string, container?: string): AttachTarget {
    const pod = this.#find(name, { namespace });
    const containerName = this.#container(pod, container);
    const process = pod.process(containerName);
    if (process) {
      return {
        get exitCode() {
          return process.exitCode;
        },
        attach: (listener) => process.attach(listener),
        claimStdin: () => process.claimStdin(),
      };
    }
    return {
      exitCode: undefined,
      attach: (listener) =>
        this.#logs.follow(podKey(pod.namespace, pod.name), containerName, {
          timestamps: false,
          onText: (text) => listener.onOutput('stdout', text),
          onEnd: () => listener.onExit(137),
        }),
      claimStdin: () => undefined,
    };
  }

  /** The pod's IP, or undefined while it has none (not started yet, or unschedulable). */
  ip(name: string, options?: PodOptions): string | undefined {
    return this.#find(name, options).status().ip;
  }

  /** The IP a running pod's servers listen on, or undefined (no such pod, or not running). */
  podIp(namespace: string, name: string): string | undefined {
    return this.#pods.get(podKey(namespace, name))?.status().ip;
  }

  /** Where the pod listens on `port` (default: its first declared port). */
  addressOf(name: string, portOrOptions?: number | PodOptions, options?: PodOptions): PodAddress {
    const opts = typeof portOrOptions === 'object' ? portOrOptions : options;
    const pod = this.#find(name, opts);
    const { ip } = pod.status();
    const port = typeof portOrOptions === 'number' ? portOrOptions : pod.ports[0];
    if (ip === undefined)
      throw new Error(`pod ${pod.namespace}/${pod.name} has no IP yet (it is not running)`);
    if (port === undefined) throw new Error(`pod ${pod.namespace}/${pod.name} declares no container port`);
    return { ip, port, host: `${ip}:${port}`, url: `http://${ip}:${port}` };
  }

  /** Every pod the fleet runs, sorted by namespace and name. */
  status(): FakePodStatus[] {
    return [...this.#pods.keys()].sort().map((key) => this.#pods.get(key)!.status());
  }

  #find(name: string, options?: PodOptions): FakePod {
    const namespace = nsOf(options);
    const pod = this.#pods.get(podKey(namespace, name));
    if (!pod) throw new PodNotFoundError(name, namespace);
    return pod;
  }

  #container(pod: FakePod, container: string | undefined): string {
    const names = pod.containers.map((c) => c.name);
    if (container === undefined) return names[0] ?? '';
    if (names.includes(container)) return container;
    throw badRequest(
      `container ${container} is not valid for pod ${pod.name}; choose one of: [${names.join(' ')}]`,
    );
  }

  #refreshHandlers(): void {
    for (const pod of this.#pods.values())
      pod.setHandler(this.#handlers.resolve(pod.namespace, pod.name, pod.labels));
  }

  #ownWrite(key: string, write: () => void): void {
    const previous = this.#writingKey;
    this.#writingKey = key;
    try {
      write();
    } finally {
      this.#writingKey = previous;
    }
  }

  #onChange(event: StoreEvent): void {
    if (event.resource.kind !== 'Pod' || event.resource.group !== '') return;
    const obj = event.object;
    const key = podKey(obj.metadata.namespace ?? 'default', obj.metadata.name ?? '');
    const known = this.#pods.get(key);
    if (event.type === 'DELETED') {
      if (known && known.uid === obj.metadata.uid) {
        if (known.status().phase === 'Running') {
          for (const stopped of containersStopped(known.containers)) this.#events.record(obj, stopped);
        }
        this.#remove(key);
      }
      return;
    }
    if (!known || known.uid !== obj.metadata.uid) {
      this.#remove(key);
      this.#adopt(obj);
      return;
    }
    if (event.type !== 'MODIFIED' || this.#writingKey === key) return;
    const labels = obj.metadata.labels ?? {};
    if (JSON.stringify(labels) !== JSON.stringify(known.labels)) {
      known.labels = labels;
      known.setHandler(this.#handlers.resolve(known.namespace, known.name, labels));
    }
    known.resyncIfOverwritten(obj);
  }

  #adopt(obj: KubeObject): void {
    const namespace = obj.metadata.namespace ?? 'default';
    const name = obj.metadata.name ?? '';
    const pod = new FakePod(
      obj,
      this.#ctx,
      this.#handlers.resolve(namespace, name, obj.metadata.labels ?? {}),
    );
    this.#pods.set(podKey(namespace, name), pod);
    pod.launch();
  }

  #remove(key: string): void {
    const pod = this.#pods.get(key);
    if (!pod) return;
    this.#pods.delete(key);
    this.#handlers.forgetPod(pod.namespace, pod.name);
    this.#logs.drop(key);
    this.#events.forget(pod.uid);
    const closing = pod
      .close()
      .catch((err: unknown) => this.#logger.warn({ err, pod: key }, 'pod close failed'));
    this.#closing.add(closing);
    void closing.finally(() => this.#closing.delete(closing));
  }
}
