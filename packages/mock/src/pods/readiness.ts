import type { PodBehaviour } from './podServers.js';
import { type ContainerSpec, resolvePort } from './podSpec.js';
import type { ContainerRuntime } from './podStatus.js';
import { type ProbeOutcome, probeHttp, probeTcp } from './prober.js';

export interface ProbeTarget {
  /** The pod IP, or undefined when the pod cannot be ready (not running, killed, unscheduled). */
  readonly ip: string | undefined;
  readonly behaviour: PodBehaviour;
  /** Whether the pod's servers are up. */
  readonly listening: boolean;
  readonly timeoutMs: number;
}

async function probeContainer(
  all: readonly ContainerSpec[],
  spec: ContainerSpec,
  runtime: ContainerRuntime | undefined,
  target: ProbeTarget,
): Promise<ContainerReadiness> {
  const ip = target.ip;
  if (!ip || !runtime || runtime.current.kind !== 'running') return NOT_RUNNING;
  const probe = spec.readinessProbe;
  if (probe?.kind === 'exec') return READY;
  if (probe) {
    const port = resolvePort(all, probe.port);
    if (port === undefined) {
      return { ready: false, failure: `Readiness probe failed: port ${String(probe.port)} is not declared` };
    }
    const outcome: ProbeOutcome =
      probe.kind === 'http'
        ? await probeHttp(ip, port, probe.path, target.timeoutMs)
        : await probeTcp(ip, port, target.timeoutMs);
    return outcome.ok ? READY : { ready: false, failure: `Readiness probe failed: ${outcome.failure ?? ''}` };
  }
  const first = spec.ports[0];
  if (!first) return READY;
  const answering = target.behaviour.mode === 'serve' || target.behaviour.mode === 'slow';
  if (!target.listening || !answering) return NOT_RUNNING;
  return (await probeTcp(ip, first.port, target.timeoutMs)).ok ? READY : NOT_RUNNING;
}

/** A container's readiness; `failure` is set when its declared readinessProbe failed (an Unhealthy Event). */
export interface ContainerReadiness {
  readonly ready: boolean;
  readonly failure?: string;
}

const READY: ContainerReadiness = Object.freeze({ ready: true });
const NOT_RUNNING: ContainerReadiness = Object.freeze({ ready: false });

/**
 * Readiness of each container, probed against the pod's real servers.
 *
 * A container with a `readinessProbe` gets exactly that probe (`httpGet`: status 200-399 within the
 * timeout; `tcpSocket`/`grpc`: a TCP connect; `exec`: always passes). A container without one but with
 * ports is ready while its first port accepts connections and the pod is neither hung nor failing
 * (`hang` and `fail` modes make it NotReady, as a default health check would). A container with
 * neither is ready while it runs.
 */
export function probeContainers(
  specs: readonly ContainerSpec[],
  runtimes: readonly ContainerRuntime[],
  target: ProbeTarget,
): Promise<ContainerReadiness[]> {
  return Promise.all(specs.map((spec, i) => probeContainer(specs, spec, runtimes[i], target)));
}
