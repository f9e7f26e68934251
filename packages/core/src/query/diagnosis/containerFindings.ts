import type { KubeObject } from '../../cluster/kubeObject.js';
import type { ContainerStatusJson, PodJson } from '../resources/podShapes.js';
import type { DiagnosisFinding } from './diagnosis.js';
import {
  containerOfEvent,
  type EventJson,
  type EventsFor,
  eventEvidence,
  since,
  stateEvidence,
} from './diagnosisEvidence.js';
import { crashFix, imagePullFix } from './suggestedFixes.js';

const specOf = (pod: PodJson, name: string) => pod.spec?.containers?.find((c) => c.name === name);

/** What is wrong with one container: crash loop, image pull, config error, OOM kill, failed exit. */
export function containerFindings(
  pod: PodJson,
  c: ContainerStatusJson,
  eventsFor: EventsFor,
  s: { now: number; recentFailureMs: number },
): DiagnosisFinding[] {
  const findings: DiagnosisFinding[] = [];
  const waiting = c.state?.waiting?.reason;
  const evidence = stateEvidence(c);
  const last = c.lastState?.terminated ?? c.state?.terminated;
  if (waiting === 'CrashLoopBackOff') {
    findings.push({
      reason: 'CrashLoopBackOff',
      container: c.name,
      summary: `container ${c.name} keeps exiting${last?.exitCode !== undefined ? ` (exit code ${last.exitCode})` : ''} and kubelet backs off restarting it (${c.restartCount ?? 0} restarts).`,
      evidence: [...evidence, ...eventsFor((e) => e.reason === 'BackOff', c.name)],
      fix: crashFix(last?.exitCode, last?.reason),
    });
  } else if (waiting === 'ImagePullBackOff' || waiting === 'ErrImagePull' || waiting === 'InvalidImageName') {
    const image = c.image ?? specOf(pod, c.name)?.image ?? '';
    const pulls = eventsFor(
      (e) => e.reason === 'Failed' || (e.reason === 'BackOff' && (e.message ?? '').includes('pulling')),
      c.name,
    );
    findings.push({
      reason: waiting === 'ErrImagePull' ? 'ErrImagePull' : 'ImagePullBackOff',
      container: c.name,
      summary: `the image "${image}" of container ${c.name} cannot be pulled.`,
      evidence: [...evidence, ...pulls],
      fix: imagePullFix(image, pulls.map((p) => p.message).join(' ')),
    });
  } else if (
    waiting === 'CreateContainerConfigError' ||
    waiting === 'CreateContainerError' ||
    waiting === 'RunContainerError'
  ) {
    findings.push({
      reason: 'ContainerConfigError',
      container: c.name,
      summary: `container ${c.name} cannot be created: ${c.state?.waiting?.message ?? waiting}.`,
      evidence,
      fix: 'Check the ConfigMaps, Secrets and keys the container references (env, envFrom, volumes) exist in the namespace.',
    });
  }
  if (
    last?.reason === 'OOMKilled' &&
    (c.state?.terminated ||
      (since(s.now, last.finishedAt) ?? 0) <= s.recentFailureMs ||
      waiting === 'CrashLoopBackOff')
  ) {
    const limit = specOf(pod, c.name)?.resources?.limits?.memory;
    findings.push({
      reason: 'OOMKilled',
      container: c.name,
      summary: `container ${c.name} was killed for using more memory than allowed (exit code ${last.exitCode ?? 137}).`,
      evidence: [...evidence, ...eventsFor((e) => (e.reason ?? '').startsWith('OOM'), c.name)],
      fix: `${limit ? `Raise resources.limits.memory (now ${limit})` : 'Set resources.limits.memory and requests to what the app needs'} or reduce the app's memory use (heap size, caches, leaks).`,
    });
  }
  if (
    c.state?.terminated &&
    c.state.terminated.exitCode !== 0 &&
    waiting === undefined &&
    last?.reason !== 'OOMKilled'
  ) {
    findings.push({
      reason: 'ContainerFailed',
      container: c.name,
      summary: `container ${c.name} exited with code ${c.state.terminated.exitCode ?? '?'} and was not restarted.`,
      evidence,
      fix: crashFix(c.state.terminated.exitCode, c.state.terminated.reason),
    });
  }
  return findings;
}

/** Failing readiness, liveness and startup probes, from kubelet's `Unhealthy` Events. */
export function probeFindings(pod: PodJson, events: readonly KubeObject[]): DiagnosisFinding[] {
  const findings: DiagnosisFinding[] = [];
  for (const [kind, reason] of [
    ['Readiness', 'ReadinessProbeFailing'],
    ['Liveness', 'LivenessProbeFailing'],
    ['Startup', 'StartupProbeFailing'],
  ] as const) {
    const failures = events.filter(
      (e) =>
        (e as EventJson).reason === 'Unhealthy' &&
        ((e as EventJson).message ?? '').startsWith(`${kind} probe failed`),
    );
    if (failures.length === 0) continue;
    const container = containerOfEvent(failures[0] as KubeObject);
    const probe = container
      ? (specOf(pod, container)?.[`${kind.toLowerCase()}Probe` as 'readinessProbe'] as unknown)
      : undefined;
    findings.push({
      reason,
      container,
      summary: `the ${kind.toLowerCase()} probe${container ? ` of ${container}` : ''} fails${kind === 'Liveness' ? ', so kubelet restarts the container' : kind === 'Readiness' ? ', so the pod gets no traffic' : ''}.`,
      evidence: [
        ...failures.map(eventEvidence),
        ...(probe
          ? [
              {
                kind: 'spec' as const,
                container,
                text: `${kind.toLowerCase()}Probe: ${JSON.stringify(probe)}`,
              },
            ]
          : []),
      ],
      fix: `Check that the probe's path, port and timeouts match what the app serves (try it with exec or port-forward); ${kind === 'Liveness' ? 'give slow starts a startupProbe or a larger initialDelaySeconds' : 'fix what the app reports as unhealthy'}.`,
    });
  }
  return findings;
}
