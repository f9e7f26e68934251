import type { KubePod } from '@kubesmart/core';
import { type Command, UsageError } from '../command.js';
import { splitRef } from '../kindNames.js';
import type { Session } from '../session.js';

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `5m`, `1h`, `2d`, `1h30m` in seconds. */
export function sinceSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`--since "${text}" is not a duration; write it like 90s, 5m, 1h or 1h30m`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 's'] ?? 1), 0);
}

/** Kinds whose pods `logs KIND/NAME` reads, as kubectl does: one pod, chosen by pickPod. */
const WORKLOADS = ['deployments', 'replicasets', 'services'] as const;
type Workload = (typeof WORKLOADS)[number];

/** The pod kubectl would read for a workload: a ready one first, then a running one, then by name. */
function pickPod(pods: readonly KubePod[]): KubePod | undefined {
  const rank = (p: KubePod): number => (p.ready ? 0 : p.phase === 'Running' ? 1 : 2);
  return [...pods].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))[0];
}

async function podOf(
  s: Session,
  kind: Workload,
  name: string,
  err: (text: string) => void,
): Promise<KubePod> {
  const owners =
    kind === 'services'
      ? s.q.services().inNamespace(s.namespace).named(name)
      : kind === 'deployments'
        ? s.q.deployments().inNamespace(s.namespace).named(name)
        : s.q.replicaSets().inNamespace(s.namespace).named(name);
  const owner = await owners.first();
  const pods = await ('selectedPods' in owner ? owner.selectedPods() : owner.pods()).all();
  const pod = pickPod(pods);
  if (!pod) throw new UsageError(`${kind}/${name} in namespace ${s.namespace} has no pods to read logs from`);
  if (pods.length > 1) err(`Found ${pods.length} pods, using pod/${pod.name}\n`);
  return pod;
}

export const logs: Command = {
  name: 'logs',
  summary: "print a pod's log",
  usage:
    'logs POD|deploy/NAME|rs/NAME|svc/NAME [-n NS] [-c CONTAINER] [--since 1h] [--tail N] [--previous] [--timestamps]',
  options: {
    container: { type: 'string', short: 'c' },
    since: { type: 'string' },
    tail: { type: 'string' },
    previous: { type: 'boolean', short: 'p' },
    timestamps: { type: 'boolean' },
  },
  async run({ positionals, values, session, io }) {
    const [first] = positionals;
    if (first === undefined)
      throw new UsageError('name the pod: logs POD (or deploy/NAME, rs/NAME, svc/NAME)');
    const { kind, name } = first.includes('/') ? splitRef(first, undefined) : { kind: 'pods', name: first };
    if (kind !== 'pods' && !WORKLOADS.includes(kind as Workload))
      throw new UsageError(
        `logs reads pods, or one pod of deployments, replicasets or services; got ${kind}`,
      );
    const tail = values.tail === undefined ? undefined : Number(values.tail);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
      throw new UsageError(`--tail must be a whole number, got ${values.tail}`);
    const s = await session();
    const pod =
      kind === 'pods'
        ? await s.q.pods().inNamespace(s.namespace).named(name).first()
        : await podOf(s, kind as Workload, name, io.err);
    io.out(
      await pod.logs({
        ...(typeof values.container === 'string' ? { container: values.container } : {}),
        ...(typeof values.since === 'string' ? { sinceSeconds: sinceSeconds(values.since) } : {}),
        ...(tail !== undefined ? { tailLines: tail } : {}),
        previous: values.previous === true,
        timestamps: values.timestamps === true,
      }),
    );
    return 0;
  },
};
