import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pod, podPhase, type QueryCluster, startQueryCluster } from '../../../test/queryCluster.js';
import { waitFor } from '../../../test/waitFor.js';
import { diagnosePod } from './diagnosePod.js';
import { formatDiagnosis } from './diagnosis.js';

let t: QueryCluster;
const NAMES = ['healthy', 'crash', 'pull', 'err-pull', 'oom', 'nowhere', 'probed'];

beforeAll(async () => {
  t = await startQueryCluster();
  await t.cluster.apply(NAMES.map((name) => pod(name, { image: `hooli/${name}:1.0` })));
  for (const name of NAMES) await podPhase(t.cluster, name, 'Running');
  await t.cluster.pods.setContainerState('crash', 'CrashLoopBackOff');
  await t.cluster.pods.setContainerState('pull', 'ImagePullBackOff');
  await t.cluster.pods.setContainerState('err-pull', 'ErrImagePull');
  await t.cluster.pods.setContainerState('oom', 'OOMKilled');
  await t.cluster.pods.setContainerState('nowhere', 'Unschedulable');
  const probed = t.cluster.get('pods', 'probed');
  const unhealthy = (kind: string, message: string) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `probed.${kind.toLowerCase()}`, namespace: 'default' },
    involvedObject: {
      kind: 'Pod',
      name: 'probed',
      namespace: 'default',
      uid: probed?.metadata.uid,
      fieldPath: 'spec.containers{main}',
    },
    reason: 'Unhealthy',
    message: `${kind} probe failed: ${message}`,
    type: 'Warning',
    count: 7,
    source: { component: 'kubelet' },
  });
  await t.cluster.apply([
    unhealthy('Readiness', 'HTTP probe failed with statuscode: 503'),
    unhealthy('Liveness', 'Get "http://10.0.0.1:8080/healthz": context deadline exceeded'),
  ]);
});
afterAll(() => t.close());

const explain = async (name: string) => (await t.q.pods().named(name).first()).explainError();

describe('pod.explainError() against the emulator', () => {
  it('finds nothing wrong with a healthy pod', async () => {
    const d = await explain('healthy');
    expect(d).toMatchObject({ healthy: true, reason: undefined, status: 'Running', findings: [] });
    expect(d.summary).toBe('nothing wrong found: the pod is Running and Ready.');
  });

  it('CrashLoopBackOff with the exit code, last state, BackOff events and a fix', async () => {
    const d = await explain('crash');
    expect(d.reason).toBe('CrashLoopBackOff');
    const [f] = d.findings;
    expect(f?.container).toBe('main');
    expect(f?.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'containerState', reason: 'CrashLoopBackOff' }),
        expect.objectContaining({ kind: 'lastState', exitCode: 1, reason: 'Error' }),
        expect.objectContaining({ kind: 'event', reason: 'BackOff', type: 'Warning' }),
      ]),
    );
    expect(f?.fix).toContain('previous');
    expect(formatDiagnosis(d)).toContain(
      '1. CrashLoopBackOff (container main): container main keeps exiting (exit code 1)',
    );
  });

  it('ImagePullBackOff and ErrImagePull name the image and what the registry said', async () => {
    const pull = await explain('pull');
    expect(pull.reason).toBe('ImagePullBackOff');
    expect(pull.status).toBe('ImagePullBackOff');
    expect(pull.findings[0]?.summary).toBe('the image "hooli/pull:1.0" of container main cannot be pulled.');
    expect(
      pull.findings[0]?.evidence.some((e) => e.kind === 'event' && e.message.includes('failed to pull')),
    ).toBe(true);
    expect(pull.findings[0]?.fix).toContain('does not exist');
    expect((await explain('err-pull')).reason).toBe('ErrImagePull');
  });

  it('OOMKilled from the last state (exit 137) and the OOM event', async () => {
    const d = await explain('oom');
    expect(d.reason).toBe('OOMKilled');
    expect(d.findings[0]?.evidence).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'lastState', reason: 'OOMKilled', exitCode: 137 }),
        expect.objectContaining({ kind: 'event', reason: 'OOMKilling' }),
      ]),
    );
    expect(d.findings[0]?.fix).toContain('resources.limits.memory');
    expect((await t.q.pods().named('oom').first()).brokenReason).toBe('OOMKilled');
  });

  it('Unschedulable from the PodScheduled condition and FailedScheduling events', async () => {
    const d = await waitFor('unschedulable', async () => {
      const found = await explain('nowhere');
      return found.reason === 'Unschedulable' ? found : undefined;
    });
    expect(d.status).toBe('Unschedulable');
    expect(d.findings[0]?.evidence.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['condition', 'event']),
    );
    expect(d.findings[0]?.fix).toContain('requests');
  });

  it('failing readiness and liveness probes from Unhealthy events', async () => {
    const d = await explain('probed');
    expect(d.findings.map((f) => f.reason)).toEqual(['ReadinessProbeFailing', 'LivenessProbeFailing']);
    expect(d.findings[0]?.container).toBe('main');
    expect(d.findings[0]?.evidence[0]).toMatchObject({
      kind: 'event',
      count: 7,
      text: expect.stringContaining('statuscode: 503'),
    });
    expect(d.findings[1]?.summary).toContain('kubelet restarts the container');
  });
});

describe('diagnosePod on status alone', () => {
  const now = Date.parse('2030-01-01T01:00:00Z');
  const settings = { now, pendingTooLongMs: 300_000, notReadyTooLongMs: 120_000, recentFailureMs: 600_000 };
  const base = (status: Record<string, unknown>, metadata: Record<string, unknown> = {}) => ({
    metadata: { name: 'p', namespace: 'default', creationTimestamp: '2030-01-01T00:00:00Z', ...metadata },
    spec: { containers: [{ name: 'main', image: 'app:1' }] },
    status,
  });

  it('PendingTooLong, NotReady, PodFailed and Terminating', () => {
    expect(diagnosePod(base({ phase: 'Pending' }), [], settings).reason).toBe('PendingTooLong');
    const notReady = base({
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'False', lastTransitionTime: '2030-01-01T00:30:00Z' }],
    });
    expect(diagnosePod(notReady, [], settings).reason).toBe('NotReady');
    const evicted = diagnosePod(
      base({ phase: 'Failed', reason: 'Evicted', message: 'low on memory' }),
      [],
      settings,
    );
    expect(evicted).toMatchObject({ reason: 'PodFailed', status: 'Evicted' });
    expect(evicted.findings[0]?.fix).toContain('requests');
    const deleting = base({ phase: 'Running' }, { deletionTimestamp: '2030-01-01T00:59:00Z' });
    expect(diagnosePod(deleting, [], settings)).toMatchObject({
      reason: 'Terminating',
      status: 'Terminating',
    });
  });

  it('a container that exited for good, with the meaning of its exit code', () => {
    const d = diagnosePod(
      base({
        phase: 'Failed',
        containerStatuses: [{ name: 'main', state: { terminated: { exitCode: 127, reason: 'Error' } } }],
      }),
      [],
      settings,
    );
    expect(d.findings.map((f) => f.reason)).toEqual(['ContainerFailed', 'PodFailed']);
    expect(d.findings[0]?.fix).toContain('not found in the image');
  });
});
