import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployment, pod, podPhase, type QueryCluster, startQueryCluster } from '../../test/queryCluster.js';
import { waitFor } from '../../test/waitFor.js';
import { KubeClient } from '../cluster/kubeClient.js';
import { WatchCacheRegistry } from '../cluster/watchCacheRegistry.js';
import {
  CallTimeoutError,
  ForbiddenError,
  InvalidArgumentError,
  KubeObjectNotFoundError,
} from '../errors.js';
import { QueryEngine } from './queryEngine.js';

let t: QueryCluster;

beforeAll(async () => {
  t = await startQueryCluster({ now: () => Date.parse('2030-01-02T03:04:05.000Z') });
  await t.cluster.apply([deployment('api', { replicas: 1 }), pod('shell', { labels: { app: 'shell' } })]);
  await podPhase(t.cluster, 'shell', 'Running');
});
afterAll(() => t.close());

const replicasOf = (name: string): number =>
  (t.cluster.get('deployments', name)?.spec as { replicas?: number } | undefined)?.replicas ?? -1;

describe('workload actions', () => {
  it('scales through the scale subresource, to and by', async () => {
    const api = await t.q.deployments().named('api').first();
    expect(await api.scale({ to: 3 })).toBe(3);
    expect(replicasOf('api')).toBe(3);
    expect(await api.scale({ by: -1 })).toBe(2);
    expect(replicasOf('api')).toBe(2);
    await expect(api.scale({ by: -5 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await waitFor('two api pods', async () => (await api.pods().count()) === 2);
  });

  it('restarts a rollout by stamping the pod template', async () => {
    const api = await t.q.deployments().named('api').first();
    const restarted = await api.restart();
    const annotations = (
      restarted.raw.spec as { template: { metadata: { annotations: Record<string, string> } } }
    ).template.metadata.annotations;
    expect(annotations['kubectl.kubernetes.io/restartedAt']).toBe('2030-01-02T03:04:05.000Z');
  });
});

describe('object actions', () => {
  it('sets labels and annotations with merge patches, null removing', async () => {
    const shell = await t.q.pods().named('shell').first();
    const labelled = await shell.setLabels({ v: 'beta', app: null });
    expect(labelled.labels).toEqual({ v: 'beta' });
    const annotated = await labelled.annotate({ owner: 'team-a' });
    expect(annotated.annotations).toEqual({ owner: 'team-a' });
    expect((await t.q.pods().withLabels({ v: 'beta' }).first()).name).toBe('shell');
  });

  it('deletes, and waitUntil({ deleted }) follows the watch', async () => {
    await t.cluster.apply(pod('doomed'));
    const doomed = await t.q.pods().named('doomed').first();
    const gone = doomed.waitUntil({ deleted: true }, { timeoutMs: 10_000 });
    await doomed.delete();
    await expect(gone).resolves.toBe(doomed);
    await expect(doomed.refresh()).rejects.toBeInstanceOf(KubeObjectNotFoundError);
    expect(t.context.registry.size).toBe(0);
  });

  it('waitUntil a phase or a check, driven by the watch; times out with CallTimeoutError', async () => {
    await t.cluster.apply(pod('late', { labels: { app: 'late' } }));
    const late = await t.q.pods().named('late').first();
    const running = await late.waitUntil({ phase: 'Running' }, { timeoutMs: 10_000 });
    expect(running.phase).toBe('Running');
    const ready = await late.waitUntil((p) => p.ready, { timeoutMs: 10_000 });
    expect(ready.ready).toBe(true);
    // Long enough for the wait's own watch to list the pod on a busy machine, so "last seen" has a state.
    const never = late.waitUntil({ phase: 'Succeeded' }, { timeoutMs: 2_000 });
    await expect(never).rejects.toBeInstanceOf(CallTimeoutError);
    await expect(never).rejects.toThrow(
      /pod default\/late to reach phase Succeeded did not happen within 2000 ms; last seen: phase Running/,
    );
    expect(t.context.registry.size).toBe(0);
  });
});

describe('pod logs and exec', () => {
  it('reads logs with tailLines, container and sinceSeconds', async () => {
    t.cluster.pods.appendLog('shell', 'first\nsecond\nthird');
    const shell = await t.q.pods().named('shell').first();
    expect(await shell.logs()).toBe('first\nsecond\nthird\n');
    expect(await shell.logs({ tailLines: 2, container: 'main' })).toBe('second\nthird\n');
    expect(await shell.logs({ sinceSeconds: 3600 })).toContain('third');
    await expect(shell.logs({ container: 'nope' })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('runs commands over the exec subresource, with exit codes and stdin', async () => {
    const shell = await t.q.pods().named('shell').first();
    expect(await shell.exec(['echo', 'hello'])).toEqual({ stdout: 'hello\n', stderr: '', exitCode: 0 });
    expect((await shell.exec('false')).exitCode).toBe(1);
    expect(await shell.exec(['rake', 'db:migrate'])).toMatchObject({
      exitCode: 127,
      stderr: 'sh: rake: command not found\n',
    });
    const registration = t.cluster.pods.onExec('shell', (command, ctx) => ({
      stdout: `${command.join(' ')} <${ctx.stdin ?? ''}>`,
      exitCode: 0,
    }));
    expect((await shell.exec(['cat'], { stdin: 'data' })).stdout).toBe('cat <data>');
    registration.remove();
  });

  it('maps refused execs to the error model and times out slow commands', async () => {
    const shell = await t.q.pods().named('shell').first();
    const ghost = t.q.wrap('pods', { ...shell.raw, metadata: { ...shell.raw.metadata, name: 'ghost' } });
    await expect(ghost.exec(['ls'])).rejects.toBeInstanceOf(KubeObjectNotFoundError);
    await expect(shell.exec(['ls'], { container: 'nope' })).rejects.toBeInstanceOf(InvalidArgumentError);
    const registration = t.cluster.pods.onExec('shell', () => new Promise(() => {}));
    await expect(shell.exec(['sleep', '60'], { timeoutMs: 100 })).rejects.toBeInstanceOf(CallTimeoutError);
    registration.remove();
    t.cluster.access.addUser({
      name: 'viewer',
      token: 'viewer-token-0123456789',
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }],
    });
    const client = new KubeClient({ kubeConfig: t.cluster.kubeConfigFor('viewer') });
    const registry = new WatchCacheRegistry({ client });
    try {
      const viewer = new QueryEngine({ context: { ...t.context, client, registry } });
      const seen = await viewer.pods().inNamespace('default').named('shell').first();
      const refused = seen.exec(['ls']);
      await expect(refused).rejects.toBeInstanceOf(ForbiddenError);
      await expect(refused).rejects.toThrow(/create.*pods\/exec/);
    } finally {
      registry.close();
      client.close();
    }
  });
});
