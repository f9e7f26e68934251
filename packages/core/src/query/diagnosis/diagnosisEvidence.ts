import type { KubeObject } from '../../cluster/kubeObject.js';
import type { ContainerStatusJson } from '../resources/podShapes.js';
import type { EventEvidence, StatusEvidence } from './diagnosis.js';

/** The parts of an Event the diagnosis reads. */
export interface EventJson {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  firstTimestamp?: string;
  involvedObject?: { fieldPath?: string };
}

export function eventEvidence(object: KubeObject): EventEvidence {
  const e = object as EventJson;
  const count = e.count ?? 1;
  const lastSeen = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? undefined;
  return {
    kind: 'event',
    type: e.type ?? 'Normal',
    reason: e.reason ?? '',
    message: e.message ?? '',
    count,
    lastSeen,
    text: `event ${e.type ?? 'Normal'} ${e.reason ?? ''}${count > 1 ? ` (x${count})` : ''}: ${e.message ?? ''}`,
  };
}

/** The container an Event is about (`spec.containers{web}`), if any. */
export const containerOfEvent = (object: KubeObject): string | undefined =>
  /\{(.+)\}/.exec((object as EventJson).involvedObject?.fieldPath ?? '')?.[1];

/** A container's current and last state, as evidence. */
export function stateEvidence(c: ContainerStatusJson): StatusEvidence[] {
  const out: StatusEvidence[] = [];
  const { waiting, terminated } = c.state ?? {};
  if (waiting)
    out.push({
      kind: 'containerState',
      container: c.name,
      reason: waiting.reason,
      text: `container ${c.name} is waiting: ${waiting.reason ?? ''}${waiting.message ? ` (${waiting.message})` : ''}`,
    });
  if (terminated)
    out.push({
      kind: 'containerState',
      container: c.name,
      reason: terminated.reason,
      exitCode: terminated.exitCode,
      text: `container ${c.name} terminated: ${terminated.reason ?? ''}, exit code ${terminated.exitCode ?? '?'}`,
    });
  const last = c.lastState?.terminated;
  if (last)
    out.push({
      kind: 'lastState',
      container: c.name,
      reason: last.reason,
      exitCode: last.exitCode,
      text: `last run of ${c.name} ended ${last.finishedAt ?? ''}: ${last.reason ?? ''}, exit code ${last.exitCode ?? '?'} (restarts: ${c.restartCount ?? 0})`,
    });
  return out;
}

/** Time since an RFC 3339 timestamp, in ms. */
export const since = (now: number, text: string | undefined): number | undefined => {
  const at = text === undefined ? Number.NaN : Date.parse(text);
  return Number.isNaN(at) ? undefined : now - at;
};

/** The pod's Events, filtered, as evidence (events about another container left out). */
export type EventsFor = (test: (event: EventJson) => boolean, container?: string) => EventEvidence[];

export function eventsFinder(events: readonly KubeObject[]): EventsFor {
  return (test, container) =>
    events
      .filter((e) => {
        const about = containerOfEvent(e);
        return (
          test(e as EventJson) && (container === undefined || about === undefined || about === container)
        );
      })
      .map(eventEvidence);
}
