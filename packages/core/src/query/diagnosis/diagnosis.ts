/** What can be wrong with a pod, as `pod.explainError()` names it. */
export type DiagnosisReason =
  | 'CrashLoopBackOff'
  | 'ImagePullBackOff'
  | 'ErrImagePull'
  | 'OOMKilled'
  | 'Unschedulable'
  | 'ReadinessProbeFailing'
  | 'LivenessProbeFailing'
  | 'StartupProbeFailing'
  | 'ContainerConfigError'
  | 'ContainerFailed'
  | 'PodFailed'
  | 'PendingTooLong'
  | 'NotReady'
  | 'Terminating';

/** One Event about the pod, as evidence. */
export interface EventEvidence {
  readonly kind: 'event';
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  /** RFC 3339, when the event says. */
  readonly lastSeen: string | undefined;
  readonly text: string;
}

/** A fact read from the pod's status. */
export interface StatusEvidence {
  readonly kind: 'containerState' | 'lastState' | 'condition' | 'phase' | 'spec';
  readonly container?: string | undefined;
  readonly reason?: string | undefined;
  readonly exitCode?: number | undefined;
  readonly text: string;
}

export type Evidence = EventEvidence | StatusEvidence;

/** One problem found, with what shows it and what to do. */
export interface DiagnosisFinding {
  readonly reason: DiagnosisReason;
  /** The container concerned, when one is. */
  readonly container: string | undefined;
  /** One sentence: what is wrong. */
  readonly summary: string;
  readonly evidence: readonly Evidence[];
  /** What to do about it. */
  readonly fix: string;
}

/** The typed answer of `pod.explainError()`. */
export interface PodDiagnosis {
  readonly pod: string;
  readonly namespace: string;
  /** The pod's STATUS, as kubectl shows it. */
  readonly status: string;
  readonly healthy: boolean;
  /** The main problem (the first finding), if any. */
  readonly reason: DiagnosisReason | undefined;
  readonly summary: string;
  readonly findings: readonly DiagnosisFinding[];
  /** Every Event about the pod, Warnings first, newest first. */
  readonly events: readonly EventEvidence[];
}

/** A diagnosis as text for people (the CLI's `explain`). */
export function formatDiagnosis(d: PodDiagnosis): string {
  const lines = [`pod ${d.namespace}/${d.pod}: ${d.status}`, d.summary];
  d.findings.forEach((f, i) => {
    lines.push('', `${i + 1}. ${f.reason}${f.container ? ` (container ${f.container})` : ''}: ${f.summary}`);
    for (const e of f.evidence) lines.push(`   - ${e.text}`);
    lines.push(`   fix: ${f.fix}`);
  });
  return lines.join('\n');
}
