import { describe, expect, it } from 'vitest';
import { noopLogger } from '../logger.js';
import { ObjectStore } from '../store/objectStore.js';
import { resourceByPath } from '../store/resources.js';
import { EventRecorder } from './eventRecorder.js';

describe('EventRecorder', () => {
  const store = new ObjectStore();
  let now = Date.parse('2026-01-02T03:04:05.678Z');
  const recorder = new EventRecorder({ store, logger: noopLogger, now: () => now });
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-1', namespace: 'default', uid: 'u-1', resourceVersion: '7' },
    spec: { nodeName: 'node-1' },
  };
  const unhealthy = {
    type: 'Warning' as const,
    reason: 'Unhealthy',
    message: 'Readiness probe failed: HTTP probe failed with statuscode: 503',
    component: 'kubelet',
    fieldPath: 'spec.containers{web}',
  };

  it('writes a core/v1 Event and the same Event as events.k8s.io/v1', () => {
    recorder.record(pod, unhealthy);
    const [core] = store.list(resourceByPath('v1', 'events')!);
    expect(core).toMatchObject({
      involvedObject: { kind: 'Pod', name: 'web-1', uid: 'u-1', fieldPath: 'spec.containers{web}' },
      reason: 'Unhealthy',
      type: 'Warning',
      count: 1,
      firstTimestamp: '2026-01-02T03:04:05Z',
      source: { component: 'kubelet', host: 'node-1' },
    });
    const [v1] = store.list(resourceByPath('events.k8s.io/v1', 'events')!);
    expect(v1).toMatchObject({
      metadata: { name: core?.metadata.name },
      regarding: { kind: 'Pod', name: 'web-1' },
      note: unhealthy.message,
      reportingController: 'kubelet',
      reportingInstance: 'node-1',
      eventTime: '2026-01-02T03:04:05.678000Z',
    });
  });

  it('counts a repeat instead of writing another Event', () => {
    now += 10_000;
    recorder.record(pod, unhealthy);
    const events = store.list(resourceByPath('v1', 'events')!);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ count: 2, lastTimestamp: '2026-01-02T03:04:15Z' });
    expect(store.list(resourceByPath('events.k8s.io/v1', 'events')!)[0]).toMatchObject({
      series: { count: 2, lastObservedTime: '2026-01-02T03:04:15.678000Z' },
    });
  });

  it('writes a new Event for another message, and after forget', () => {
    recorder.record(pod, { ...unhealthy, message: 'Readiness probe failed: dial tcp: i/o timeout' });
    recorder.forget('u-1');
    recorder.record(pod, unhealthy);
    expect(store.list(resourceByPath('v1', 'events')!)).toHaveLength(3);
  });
});
