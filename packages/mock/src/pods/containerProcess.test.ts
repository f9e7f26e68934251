import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../test/waitFor.js';
import { createMockCluster, type MockCluster } from '../index.js';
import type { KubeObject } from '../types.js';
import { ContainerProcess } from './containerProcess.js';
import { podShell } from './shell/podShell.js';

const POD: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: {},
};

function start(argv: string[], wantsStdin: boolean) {
  const output: string[] = [];
  let exit: number | undefined;
  const process = new ContainerProcess({
    container: 'main',
    argv,
    wantsStdin,
    shell: (signal) => podShell({ pod: POD, container: 'main', signal }),
    listener: {
      onOutput: (stream, text) => output.push(`${stream}:${text}`),
      onExit: (code) => {
        exit = code;
      },
    },
  });
  process.start();
  return { process, output, exit: () => exit };
}

describe('ContainerProcess', () => {
  it('runs its command and reports output and exit code', async () => {
    const run = start(['sh', '-c', 'echo out; echo err >&2; exit 4'], false);
    await waitFor('the exit', () => run.exit() !== undefined);
    expect(run.output).toEqual(['stdout:out\n', 'stderr:err\n']);
    expect(run.exit()).toBe(4);
    expect(run.process.exitCode).toBe(4);
  });

  it('waits for the stdin of the first attach, which alone gets it', async () => {
    const run = start(['cat'], true);
    const seen: string[] = [];
    run.process.attach({ onOutput: (_s, text) => seen.push(text), onExit: () => {} });
    const stdin = run.process.claimStdin();
    expect(run.process.claimStdin()).toBeUndefined();
    stdin?.write('a');
    stdin?.write('b\n');
    expect(run.exit()).toBeUndefined();
    stdin?.close();
    await waitFor('the exit', () => run.exit() !== undefined);
    expect(seen).toEqual(['ab\n']);
    expect(run.exit()).toBe(0);
  });

  it('a killed process exits 137', async () => {
    const run = start(['sleep', '3600'], false);
    run.process.kill();
    await waitFor('the exit', () => run.exit() !== undefined);
    expect(run.exit()).toBe(137);
  });
});

describe('pods that run to completion', () => {
  let cluster: MockCluster | undefined;
  afterEach(() => cluster?.close());

  it('a Never pod runs its command, logs its output and ends Succeeded or Failed with the exit code', async () => {
    cluster = await createMockCluster({ tls: false, probeIntervalMs: 50 });
    const pod = (name: string, script: string): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', script] }],
      },
    });
    await cluster.apply([pod('ok', 'echo fine'), pod('bad', 'echo oops; exit 2')]);
    const phase = (name: string) =>
      (cluster?.get('pod', name)?.status as { phase?: string } | undefined)?.phase;
    await waitFor('both pods to finish', () => phase('ok') === 'Succeeded' && phase('bad') === 'Failed');
    const terminated = (name: string) => {
      const status = cluster?.get('pod', name)?.status as
        | { containerStatuses?: { state: { terminated?: object } }[] }
        | undefined;
      return status?.containerStatuses?.[0]?.state.terminated;
    };
    expect(terminated('ok')).toMatchObject({ exitCode: 0, reason: 'Completed' });
    expect(terminated('bad')).toMatchObject({ exitCode: 2, reason: 'Error' });
    expect(cluster.pods.logs('default', 'bad')).toBe('oops\n');
  });
});
