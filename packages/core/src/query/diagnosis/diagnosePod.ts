import type { KubeObject } from '../../cluster/kubeObject.js';
import { formatAge } from '../format/duration.js';
import { asPod, conditionOf, type PodJson } from '../resources/podShapes.js';
import { containerFindings, probeFindings } from './containerFindings.js';
import type { DiagnosisFinding, PodDiagnosis } from './diagnosis.js';
import { eventEvidence, eventsFinder, since } from './diagnosisEvidence.js';
import { podDisplayStatus } from './podHealth.js';
import { schedulingFix } from './suggestedFixes.js';

export interface DiagnoseSettings {
  /** Wall clock, ms since the epoch. */
  readonly now: number;
  readonly pendingTooLongMs: number;
  readonly notReadyTooLongMs: number;
  readonly recentFailureMs: number;
}

/** Reads a pod's status and Events and says what is wrong, with evidence and a fix. */
export function diagnosePod(
  object: KubeObject,
  events: readonly KubeObject[],
  s: DiagnoseSettings,
): PodDiagnosis {
  const pod: PodJson = asPod(object);
  const findings: DiagnosisFinding[] = [];
  const add = (f: DiagnosisFinding): void => {
    if (!findings.some((x) => x.reason === f.reason && x.container === f.container)) findings.push(f);
  };
  const eventsFor = eventsFinder(events);

  if (pod.metadata?.deletionTimestamp) {
    add({
      reason: 'Terminating',
      container: undefined,
      summary: `the pod is being deleted (since ${pod.metadata.deletionTimestamp}).`,
      evidence: [],
      fix: 'Wait for it to stop; a pod stuck here usually has a finalizer or an unreachable node.',
    });
  }
  const scheduled = conditionOf(pod, 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    const message = scheduled.message ?? '';
    add({
      reason: 'Unschedulable',
      container: undefined,
      summary: 'no node can take the pod, so it stays Pending.',
      evidence: [
        { kind: 'condition', reason: 'Unschedulable', text: `condition PodScheduled=False: ${message}` },
        ...eventsFor((e) => e.reason === 'FailedScheduling'),
      ],
      fix: schedulingFix(message),
    });
  }
  for (const c of pod.status?.containerStatuses ?? []) {
    for (const f of containerFindings(pod, c, eventsFor, s)) add(f);
  }
  for (const f of probeFindings(pod, events)) add(f);
  const phase = pod.status?.phase;
  if (phase === 'Failed') {
    add({
      reason: 'PodFailed',
      container: undefined,
      summary: `the pod failed${pod.status?.reason ? ` (${pod.status.reason})` : ''}: ${pod.status?.message ?? 'every container stopped and will not restart'}.`,
      evidence: [
        {
          kind: 'phase',
          reason: pod.status?.reason,
          text: `phase Failed${pod.status?.message ? `: ${pod.status.message}` : ''}`,
        },
      ],
      fix:
        pod.status?.reason === 'Evicted'
          ? 'The node ran short of a resource: set requests that match usage, or free the node; delete the evicted pod.'
          : 'Read the logs of the last run, fix the cause, and delete the pod so its controller makes a new one.',
    });
  }
  const age = since(s.now, pod.metadata?.creationTimestamp as string | undefined);
  if (findings.length === 0 && phase === 'Pending' && (age ?? 0) > s.pendingTooLongMs) {
    add({
      reason: 'PendingTooLong',
      container: undefined,
      summary: `the pod has been Pending for ${formatAge(age)}.`,
      evidence: [
        { kind: 'phase', text: `phase Pending, created ${formatAge(age)} ago` },
        ...eventsFor((e) => e.type === 'Warning'),
      ],
      fix: 'Read the events (volumes that do not attach, images still pulling, admission webhooks) and the scheduler conditions.',
    });
  }
  const ready = conditionOf(pod, 'Ready');
  if (
    findings.length === 0 &&
    phase === 'Running' &&
    ready?.status === 'False' &&
    (since(s.now, ready.lastTransitionTime) ?? 0) > s.notReadyTooLongMs
  ) {
    add({
      reason: 'NotReady',
      container: undefined,
      summary: 'the pod runs but has not been Ready for a while.',
      evidence: [
        {
          kind: 'condition',
          text: `condition Ready=False since ${ready.lastTransitionTime}: ${ready.message ?? ''}`,
        },
      ],
      fix: 'Check the readiness probe and the logs; the pod gets no Service traffic until it is Ready.',
    });
  }
  const sorted = events
    .map(eventEvidence)
    .sort((a, b) =>
      a.type === b.type ? (b.lastSeen ?? '').localeCompare(a.lastSeen ?? '') : a.type === 'Warning' ? -1 : 1,
    );
  const [main] = findings;
  return {
    pod: pod.metadata?.name ?? '',
    namespace: pod.metadata?.namespace ?? '',
    status: podDisplayStatus(pod),
    healthy: findings.length === 0,
    reason: main?.reason,
    summary: main
      ? `${main.reason}: ${main.summary}`
      : `nothing wrong found: the pod is ${phase ?? 'in an unknown phase'}${ready?.status === 'True' ? ' and Ready' : ''}.`,
    findings,
    events: sorted,
  };
}
