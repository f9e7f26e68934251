import { podDisplayStatus } from '../diagnosis/podHealth.js';
import type { KindTypes } from '../kinds.js';
import type { KubePod } from '../resources/pod.js';
import { Query } from './query.js';

// Other kinds by the registry's names (query/kindRegistry.ts), so kinds need not import each other.
type EventQuery = KindTypes['events']['query'];
type NodeQuery = KindTypes['nodes']['query'];

/** Pods, with status, restart and node filters and joins to their nodes and events. */
export class PodQuery extends Query<KubePod> {
  /** In one of these phases (one phase is a `status.phase` field selector). */
  withPhase(...phases: string[]): this {
    const [only] = phases;
    if (phases.length === 1 && only !== undefined) return this.withField('status.phase', only);
    return this.local(`phase in (${phases.join(', ')})`, (p) => phases.includes(p.phase));
  }

  /** On this node (a `spec.nodeName` field selector). */
  onNode(nodeName: string): this {
    return this.withField('spec.nodeName', nodeName);
  }

  /**
   * Pods that do not work: a container in CrashLoopBackOff, ImagePullBackOff, ErrImagePull, a config
   * error or terminated with an error, recently OOM-killed, Unschedulable, Failed or Evicted, Pending
   * longer than `pendingTooLongMs`, or Running but not Ready for longer than `notReadyTooLongMs`.
   */
  broken(): this {
    return this.local('broken()', (p) => p.broken);
  }

  /** Phase Running (server-side) with no container waiting or terminated (here). */
  running(): this {
    return this.withField('status.phase', 'Running').local(
      'running()',
      (p) => podDisplayStatus(p.raw) === 'Running',
    );
  }

  /** Phase Pending (server-side). */
  pending(): this {
    return this.withField('status.phase', 'Pending');
  }

  /** At least `count` container restarts in total. */
  restartsAtLeast(count: number): this {
    return this.local(`restarts >= ${count}`, (p) => p.restarts >= count);
  }

  /** At most `count` container restarts in total. */
  restartsAtMost(count: number): this {
    return this.local(`restarts <= ${count}`, (p) => p.restarts <= count);
  }

  /** The nodes these pods run on. */
  nodes(): NodeQuery {
    return this.join('nodes', 'node of each pod', (p) => (p.nodeName ? { names: [p.nodeName] } : undefined));
  }

  /** Events about these pods. */
  events(): EventQuery {
    return this.join('events', 'events of each pod (involvedObject)', (p) => ({
      namespace: p.namespace,
      fields: [
        { field: 'involvedObject.kind', op: '=', value: 'Pod' },
        { field: 'involvedObject.name', op: '=', value: p.name },
      ],
      test: (e) => {
        const uid = (e.involvedObject as { uid?: string } | undefined)?.uid;
        return uid === undefined || uid === p.uid;
      },
    }));
  }
}
