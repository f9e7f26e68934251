import type { PodEventInput } from '../events/eventRecorder.js';
import type { KubeObject } from '../types.js';
import { ContainerProcess } from './containerProcess.js';
import {
  type ContainerStateName,
  crashLoop,
  imagePullFailure,
  oomKill,
  RestartBackoff,
  runAgain,
  terminateKilled,
} from './containerStates.js';
import type { IpAllocator } from './ipAllocator.js';
import { containersStopped, placePod, unschedulePod } from './podPlacement.js';
import type { PodBehaviour, PodHandler } from './podServers.js';
import { type ContainerSpec, containersOf, podPorts } from './podSpec.js';
import { initialRuntime, type PodRuntime } from './podStatus.js';
import { PodWriter, type PodWriterOptions } from './podWriter.js';
import { type ContainerReadiness, probeContainers } from './readiness.js';
import { rfc3339 } from './rfc3339.js';
import type { Scheduler } from './scheduler.js';
import { ServerSupervisor } from './serverSupervisor.js';
import { podShell } from './shell/podShell.js';

/** What every fake pod shares: the store, the clock, the IP pool and the emulated scheduler. */
export interface KubeletContext extends PodWriterOptions {
  /** Appends the output of a container's process to its log. */
  readonly appendLog: (namespace: string, pod: string, container: string, text: string) => void;
  /** Ends `logs -f` of a container whose process exited. */
  readonly endLog: (namespace: string, pod: string, container: string) => void;
  readonly allocator: IpAllocator;
  readonly scheduler: Scheduler;
  readonly probeIntervalMs: number;
  /** See `PodFleetOptions.probeTiming`. */
  readonly probeTiming: 'fast' | 'kubelet';
  readonly bindAttempts: number;
}

/** kubelet's defaults for a readiness probe's timing. */
const KUBELET_PROBE = Object.freeze({
  periodSeconds: 10,
  timeoutSeconds: 1,
  failureThreshold: 3,
  successThreshold: 1,
});

/** One pod as `cluster.pods.status()` reports it. */
export interface FakePodStatus {
  readonly name: string;
  readonly namespace: string;
  readonly ip: string | undefined;
  readonly ports: readonly number[];
  readonly nodeName: string | undefined;
  readonly phase: PodRuntime['phase'];
  /** `down` after a kill and whenever the pod's servers are not listening. */
  readonly mode: PodBehaviour['mode'] | 'down';
  readonly ready: boolean;
}

/**
 * The emulated kubelet of one pod: places it on a node, keeps its real servers running, probes
 * readiness on a `setTimeout` chain and writes the pod's `status` whenever what it knows changes.
 * Every state change bumps an epoch, so a probe that started before it cannot overwrite it.
 */
export class FakePod {
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly containers: readonly ContainerSpec[];
  readonly ports: readonly number[];
  labels: Readonly<Record<string, string>>;
  readonly #ctx: KubeletContext;
  readonly #rt: PodRuntime;
  readonly #writer: PodWriter;
  readonly #servers: ServerSupervisor;
  readonly #backoff: RestartBackoff;
  #killed = false;
  #forcedUnschedulable = false;
  #closed = false;
  #epoch = 0;
  #probing = false;
  #probeTimer: NodeJS.Timeout | undefined;
  #started: Promise<void> = Promise.resolve();
  readonly #processes = new Map<string, ContainerProcess>();
  /** Consecutive probe results of each container that disagree with its readiness (kubelet timing). */
  readonly #streaks: number[] = [];

  constructor(pod: KubeObject, ctx: KubeletContext, handler: PodHandler | undefined) {
    this.#ctx = ctx;
    this.name = pod.metadata.name ?? '';
    this.namespace = pod.metadata.namespace ?? 'default';
    this.uid = pod.metadata.uid ?? '';
    this.labels = pod.metadata.labels ?? {};
    this.containers = containersOf(pod);
    this.ports = podPorts(this.containers);
    this.#writer = new PodWriter(ctx, this);
    this.#rt = initialRuntime(this.containers, rfc3339(ctx.now()));
    this.#backoff = new RestartBackoff(ctx.probeIntervalMs);
    this.#servers = new ServerSupervisor(
      {
        pod: this.name,
        namespace: this.namespace,
        ports: this.ports,
        allocator: ctx.allocator,
        logger: ctx.logger,
        bindAttempts: ctx.bindAttempts,
        wantedIp: () => this.#wantedIp(),
        onBound: (ip) => {
          this.#rt.podIP = ip;
        },
        onBindFailed: (ip, message) => this.#bindFailed(ip, message),
      },
      handler,
    );
  }

  /**
   * Starts the pod on the next microtask, outside the store listener that saw it appear: schedules
   * it (unless it names its node), binds its servers, probes it once and writes its status.
   */
  launch(): void {
    this.#started = new Promise<void>((resolve) => queueMicrotask(resolve))
      .then(() => this.#start())
      .catch((err: unknown) =>
        this.#ctx.logger.error({ err, pod: this.name, namespace: this.namespace }, 'pod start failed'),
      );
  }

  setBehaviour(behaviour: PodBehaviour): void {
    this.#servers.behaviour = behaviour;
  }

  setHandler(handler: PodHandler | undefined): void {
    this.#servers.handler = handler;
  }

  status(): FakePodStatus {
    const rt = this.#rt;
    const down = this.#killed || (this.ports.length > 0 && !this.#servers.listening);
    return {
      name: this.name,
      namespace: this.namespace,
      ip: rt.podIP,
      ports: this.ports,
      nodeName: rt.nodeName,
      phase: rt.phase,
      mode: down ? 'down' : this.#servers.behaviour.mode,
      ready: rt.phase === 'Running' && rt.containers.every((c) => c.ready),
    };
  }

  /** Closes the servers at once; the next probe marks the pod NotReady, then Failed. */
  async kill(): Promise<void> {
    if (this.#killed || this.#rt.phase === 'Failed') return this.#started;
    this.#killed = true;
    this.#epoch += 1;
    this.#writer.record(containersStopped(this.containers));
    const stopping = this.#servers.stopNow();
    await this.#started;
    await stopping;
    await this.#servers.reconcile();
  }

  /** Back to the `serve` behaviour with every container running (servers restarted after a kill). */
  restore(): Promise<void> {
    this.setBehaviour({ mode: 'serve' });
    return this.#recover();
  }

  async setContainerState(state: ContainerStateName, container?: string): Promise<void> {
    const containers = this.#rt.containers;
    const c = container === undefined ? containers[0] : containers.find((x) => x.spec.name === container);
    if (!c) {
      const names = this.containers.map((x) => x.name).join(', ');
      throw new Error(
        `pod ${this.namespace}/${this.name} has no container "${container ?? ''}" (containers: ${names})`,
      );
    }
    if (state === 'Running') return this.#recover();
    await this.#started;
    this.#epoch += 1;
    this.#backoff.clear();
    this.#killed = false;
    this.#forcedUnschedulable = state === 'Unschedulable';
    if (state === 'Unschedulable') {
      this.#writer.record(unschedulePod(this.#rt, this.#ctx, this.#ctx.scheduler.unschedulableMessage()));
    } else {
      if (!this.#ensurePlaced()) return;
      const now = rfc3339(this.#ctx.now());
      const subject = { name: this.name, namespace: this.namespace, uid: this.uid, now };
      Object.assign(this.#rt, { phase: 'Running', reason: undefined, message: undefined });
      for (const other of containers) if (other !== c) runAgain(other, now);
      if (state === 'CrashLoopBackOff') {
        this.#writer.record([crashLoop(c, subject, RestartBackoff.seconds(0))]);
        this.#backoff.start((round) => this.#crashAgain(c.spec.name, round));
      } else if (state === 'OOMKilled') {
        this.#writer.record([oomKill(c, subject)]);
      } else {
        this.#writer.record(imagePullFailure(this.#rt, c, state));
      }
    }
    await this.#settle();
  }

  /**
   * Another writer replaced the pod: when it dropped the status or moved the pod off its node, the
   * kubelet writes its view again (other status edits are left alone until the next change).
   */
  resyncIfOverwritten(pod: KubeObject): void {
    const phase = (pod.status as { phase?: unknown } | undefined)?.phase;
    const nodeName = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
    if (this.#rt.nodeName === undefined || (phase !== undefined && nodeName === this.#rt.nodeName)) return;
    void this.#started.then(() => queueMicrotask(() => this.#write()));
  }

  /** The process of a container that runs to completion, if it has one. */
  process(container: string): ContainerProcess | undefined {
    return this.#processes.get(container);
  }

  /** Stops servers and timers and gives the IP back. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const process of this.#processes.values()) process.kill();
    clearTimeout(this.#probeTimer);
    this.#backoff.clear();
    await this.#servers.reconcile();
    if (this.#rt.podIP) this.#ctx.allocator.release(this.#rt.podIP);
  }

  async #start(): Promise<void> {
    const pod = this.#writer.current();
    if (this.#closed || !pod) return;
    const status = (pod.status ?? {}) as { podIP?: string; phase?: string; startTime?: string };
    if (status.phase === 'Failed' || status.phase === 'Succeeded') {
      this.#rt.phase = status.phase;
      return;
    }
    if (status.podIP && this.#ctx.allocator.reserve(status.podIP)) this.#rt.podIP = status.podIP;
    this.#rt.startTime = status.startTime;
    const nodeName = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
    if (this.#place(typeof nodeName === 'string' && nodeName !== '' ? nodeName : undefined)) {
      await this.#servers.reconcile();
      this.#startProcesses(pod);
      if (!this.#closed) await this.#tick();
    } else {
      this.#write();
      this.#scheduleTick(this.#ctx.probeIntervalMs);
    }
  }

  async #recover(): Promise<void> {
    await this.#started;
    this.#epoch += 1;
    this.#backoff.clear();
    this.#forcedUnschedulable = false;
    if (!this.#ensurePlaced()) return;
    this.#killed = false;
    Object.assign(this.#rt, { phase: 'Running', reason: undefined, message: undefined });
    const now = rfc3339(this.#ctx.now());
    for (const c of this.#rt.containers) runAgain(c, now);
    await this.#settle();
  }

  /** Writes the new state, brings the servers in line and probes soon. */
  async #settle(): Promise<void> {
    this.#write();
    await this.#servers.reconcile();
    const finished = this.#rt.phase === 'Failed' || this.#rt.phase === 'Succeeded';
    if (!this.#closed && !this.#probing && !finished) this.#scheduleTick(0);
  }

  /** Places a pod that has no node; false (with the unschedulable status written) when it cannot be. */
  #ensurePlaced(): boolean {
    if (this.#rt.unschedulable === undefined && this.#rt.nodeName !== undefined) return true;
    if (this.#place()) return true;
    this.#write();
    return false;
  }

  #place(nodeName?: string): boolean {
    const { placed, events } = placePod(this.#rt, this.#ctx, this, nodeName);
    this.#writer.record(events);
    return placed;
  }

  #wantedIp(): string | undefined {
    const rt = this.#rt;
    const running = rt.phase === 'Running' && rt.containers.every((c) => c.current.kind === 'running');
    return !this.#closed && !this.#killed && running && this.ports.length > 0 ? rt.podIP : undefined;
  }

  #bindFailed(ip: string, message: string): void {
    const now = rfc3339(this.#ctx.now());
    Object.assign(this.#rt, { podIP: ip, phase: 'Failed', reason: 'BindFailed', message });
    for (const c of this.#rt.containers) {
      c.ready = false;
      c.current = {
        kind: 'terminated',
        exitCode: 128,
        reason: 'StartError',
        message,
        startedAt: now,
        finishedAt: now,
      };
    }
    this.#write();
  }

  /** One readiness probe round, then the next one a probe period later. */
  async #tick(): Promise<void> {
    this.#probeTimer = undefined;
    if (this.#closed || this.#probing) return;
    this.#probing = true;
    const epoch = this.#epoch;
    const rt = this.#rt;
    try {
      if (rt.unschedulable !== undefined && !this.#forcedUnschedulable && this.#place()) {
        await this.#servers.reconcile();
      }
      // With kubelet timing a killed pod is a silent node: its probes run, and fail, until the threshold.
      const silent = this.#killed && this.#ctx.probeTiming === 'kubelet';
      const live = (!this.#killed || silent) && rt.phase === 'Running';
      const results = await probeContainers(this.containers, rt.containers, {
        ip: live ? rt.podIP : undefined,
        behaviour: this.#servers.behaviour,
        listening: this.#servers.listening,
        timeoutMs: this.#probeTimeoutMs(),
      });
      if (this.#closed || epoch !== this.#epoch) return;
      results.forEach(({ ready }, i) => {
        const c = rt.containers[i];
        if (c && c.current.kind !== 'terminated') c.ready = this.#nextReady(i, c.ready, ready);
      });
      if (live) this.#recordProbeFailures(results);
      this.#write();
      const down = this.#ctx.probeTiming === 'fast' || rt.containers.every((c) => !c.ready);
      if (this.#killed && rt.phase !== 'Failed' && down) this.#failKilled();
    } catch (err) {
      this.#ctx.logger.warn(
        { err, pod: this.name, namespace: this.namespace },
        'readiness probe round failed',
      );
    } finally {
      this.#probing = false;
      if (!this.#closed && rt.phase !== 'Failed' && rt.phase !== 'Succeeded') {
        this.#scheduleTick(epoch === this.#epoch ? this.#probePeriodMs() : 0);
      }
    }
  }

  #timing(i: number): Record<keyof typeof KUBELET_PROBE, number> {
    const probe = this.containers[i]?.readinessProbe;
    return {
      periodSeconds: probe?.periodSeconds ?? KUBELET_PROBE.periodSeconds,
      timeoutSeconds: probe?.timeoutSeconds ?? KUBELET_PROBE.timeoutSeconds,
      failureThreshold: probe?.failureThreshold ?? KUBELET_PROBE.failureThreshold,
      successThreshold: probe?.successThreshold ?? KUBELET_PROBE.successThreshold,
    };
  }

  /** The readiness a probe result leads to: at once (fast), or after a streak of the threshold (kubelet). */
  #nextReady(i: number, ready: boolean, probed: boolean): boolean {
    if (this.#ctx.probeTiming === 'fast' || ready === probed) {
      this.#streaks[i] = 0;
      return probed;
    }
    const streak = (this.#streaks[i] ?? 0) + 1;
    const { failureThreshold, successThreshold } = this.#timing(i);
    if (streak < (probed ? successThreshold : failureThreshold)) {
      this.#streaks[i] = streak;
      return ready;
    }
    this.#streaks[i] = 0;
    return probed;
  }

  #probePeriodMs(): number {
    if (this.#ctx.probeTiming === 'fast') return this.#ctx.probeIntervalMs;
    return Math.min(
      ...this.containers.map((_, i) => this.#timing(i).periodSeconds * 1000),
      KUBELET_PROBE.periodSeconds * 1000,
    );
  }

  #probeTimeoutMs(): number {
    // A fast probe keeps kubelet's default 1 s timeout whatever its period: a short period must not
    // turn a busy machine's slow answer into a NotReady pod. A killed pod still fails at once (refused).
    if (this.#ctx.probeTiming === 'fast') return KUBELET_PROBE.timeoutSeconds * 1000;
    return Math.max(...this.containers.map((_, i) => this.#timing(i).timeoutSeconds * 1000), 100);
  }

  /** Unhealthy Events for the declared readiness probes that failed, aggregated by their message. */
  #recordProbeFailures(results: readonly ContainerReadiness[]): void {
    const events = results.flatMap(({ failure }, i): PodEventInput[] => {
      const name = this.containers[i]?.name;
      if (failure === undefined || name === undefined) return [];
      const fieldPath = `spec.containers{${name}}`;
      return [{ type: 'Warning', reason: 'Unhealthy', message: failure, component: 'kubelet', fieldPath }];
    });
    if (events.length > 0) this.#writer.record(events);
  }

  #scheduleTick(delayMs: number): void {
    clearTimeout(this.#probeTimer);
    this.#probeTimer = setTimeout(() => void this.#tick(), delayMs);
    this.#probeTimer.unref();
  }

  /** After a kill: the container is terminated (137) and a ReplicaSet's pod is deleted to be replaced. */
  #failKilled(): void {
    const now = rfc3339(this.#ctx.now());
    this.#rt.phase = 'Failed';
    for (const c of this.#rt.containers) terminateKilled(c, now);
    this.#write();
    this.#writer.deleteIfOwnedByReplicaSet();
  }

  /** One more crash of a crash-looping container; false once it no longer crash-loops. */
  #crashAgain(container: string, round: number): boolean {
    const c = this.#rt.containers.find((x) => x.spec.name === container);
    if (this.#closed || c?.current.kind !== 'waiting' || c.current.reason !== 'CrashLoopBackOff')
      return false;
    const subject = {
      name: this.name,
      namespace: this.namespace,
      uid: this.uid,
      now: rfc3339(this.#ctx.now()),
    };
    this.#writer.record([crashLoop(c, subject, RestartBackoff.seconds(round))]);
    this.#write();
    return true;
  }

  #write(): void {
    if (!this.#closed) this.#writer.write(this.#rt);
  }

  /** Runs the `command`/`args` of each container of a pod that is not restarted (Never, OnFailure). */
  #startProcesses(pod: KubeObject): void {
    const restartPolicy = (pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy ?? 'Always';
    if (restartPolicy === 'Always' || this.#processes.size > 0) return;
    for (const spec of this.containers) {
      if (spec.argv.length === 0) continue;
      const process = new ContainerProcess({
        container: spec.name,
        argv: spec.argv,
        wantsStdin: spec.stdin,
        shell: (signal) => podShell({ pod, container: spec.name, signal }),
        listener: {
          onOutput: (_stream, text) => this.#ctx.appendLog(this.namespace, this.name, spec.name, text),
          onExit: (exitCode) => this.#processExited(spec.name, exitCode),
        },
      });
      this.#processes.set(spec.name, process);
      process.start();
    }
  }

  /** A container's process ended: the container terminates; when all have, the pod is done. */
  #processExited(container: string, exitCode: number): void {
    const c = this.#rt.containers.find((x) => x.spec.name === container);
    if (this.#closed || !c) return;
    this.#epoch += 1;
    const now = rfc3339(this.#ctx.now());
    c.ready = false;
    c.current = {
      kind: 'terminated',
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: c.current.kind === 'running' ? c.current.startedAt : now,
      finishedAt: now,
    };
    if (this.#rt.containers.every((x) => x.current.kind === 'terminated')) {
      const failed = this.#rt.containers.some(
        (x) => x.current.kind === 'terminated' && x.current.exitCode !== 0,
      );
      this.#rt.phase = failed ? 'Failed' : 'Succeeded';
      clearTimeout(this.#probeTimer);
    }
    this.#write();
    this.#ctx.endLog(this.namespace, this.name, container);
  }
}
