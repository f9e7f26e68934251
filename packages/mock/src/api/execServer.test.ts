import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Exec, type V1Status } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { waitFor } from '../../test/waitFor.js';
import { createMockCluster, type MockCluster } from '../index.js';

interface ExecOutcome {
  stdout: string;
  stderr: string;
  status: V1Status | undefined;
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs a command with client-node's Exec and waits for the socket to close. */
async function clientNodeExec(cluster: MockCluster, pod: string, command: string[]): Promise<ExecOutcome> {
  const out = sink();
  const err = sink();
  let status: V1Status | undefined;
  const ws = await new Exec(cluster.kubeConfig).exec(
    'default',
    pod,
    'main',
    command,
    out.stream,
    err.stream,
    null,
    false,
    (s) => {
      status = s;
    },
  );
  await new Promise<void>((resolve) => {
    if (ws.readyState === ws.CLOSED) resolve();
    else ws.addEventListener('close', () => resolve());
  });
  return { stdout: out.text(), stderr: err.text(), status };
}

function kubectl(
  kubeconfig: string,
  home: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      ['--kubeconfig', kubeconfig, ...args],
      { env: { PATH: process.env.PATH, HOME: home }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') reject(error);
        else resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr });
      },
    );
  });
}

describe('exec over WebSocket', () => {
  let cluster: MockCluster;
  let home: string;
  let kubeconfig: string;

  beforeAll(async () => {
    cluster = await createMockCluster({ probeIntervalMs: 50 });
    home = await mkdtemp(join(tmpdir(), 'kubesmart-exec-'));
    kubeconfig = await cluster.writeKubeconfig(join(home, 'kubeconfig'));
    await cluster.apply(
      ['shell', 'db-0'].map((name) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', labels: { app: name === 'shell' ? 'shell' : 'db' } },
        spec: { containers: [{ name: 'main', image: 'busybox:1.36' }] },
      })),
    );
    await waitFor('pods running', () =>
      ['shell', 'db-0'].every(
        (name) => (cluster.get('pods', name)?.status as { phase?: string } | undefined)?.phase === 'Running',
      ),
    );
  });

  afterAll(async () => {
    await cluster.close();
    await rm(home, { recursive: true, force: true });
  });

  it('runs the default handler for client-node: echo prints, true and false exit 0 and 1', async () => {
    const echo = await clientNodeExec(cluster, 'shell', ['echo', 'hello', 'world']);
    expect(echo.stdout).toBe('hello world\n');
    expect(echo.status?.status).toBe('Success');
    const no = await clientNodeExec(cluster, 'shell', ['false']);
    expect(no.status?.status).toBe('Failure');
    expect(no.status?.details?.causes).toEqual([{ reason: 'ExitCode', message: '1' }]);
    const missing = await clientNodeExec(cluster, 'shell', ['rake', 'db:migrate']);
    expect(missing.stderr).toBe('sh: rake: command not found\n');
    expect(missing.status?.details?.causes?.[0]?.message).toBe('127');
  });

  it('answers with a handler registered by label selector, then by name, until removed', async () => {
    const bySelector = cluster.pods.onExec('app=db', (command, ctx) => ({
      stdout: `${ctx.pod}/${ctx.container}: ${command.join(' ')}\n`,
    }));
    expect((await clientNodeExec(cluster, 'db-0', ['rake', 'db:migrate'])).stdout).toBe(
      'db-0/main: rake db:migrate\n',
    );
    const byName = cluster.pods.onExec('db-0', async () => ({ stderr: 'locked\n', exitCode: 3 }));
    const locked = await clientNodeExec(cluster, 'db-0', ['rake', 'db:migrate']);
    expect(locked.stderr).toBe('locked\n');
    expect(locked.status?.details?.causes?.[0]?.message).toBe('3');
    byName.remove();
    bySelector.remove();
    expect((await clientNodeExec(cluster, 'db-0', ['echo', 'back'])).stdout).toBe('back\n');
  });

  it('serves the installed kubectl exec, with its exit code', async () => {
    const hi = await kubectl(kubeconfig, home, ['exec', 'shell', '--', 'echo', 'hi']);
    expect(hi).toMatchObject({ code: 0, stdout: 'hi\n' });
    const failed = await kubectl(kubeconfig, home, ['exec', 'shell', '--', 'false']);
    expect(failed.code).toBe(1);
    const missing = await kubectl(kubeconfig, home, ['exec', 'shell', '--', 'nope']);
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('nope: command not found');
  });

  it('passes stdin to the handler after the v5 close signal', async () => {
    cluster.pods.onExec('shell', (_command, ctx) => ({ stdout: (ctx.stdin ?? '').toUpperCase() }));
    const url = `${cluster.url.replace(/^http/, 'ws')}/api/v1/namespaces/default/pods/shell/exec?command=cat&stdin=true&stdout=true`;
    const ws = new WebSocket(url, ['v5.channel.k8s.io'], {
      ca: cluster.caCertPem,
      headers: { Authorization: `Bearer ${cluster.access.users()[0]?.token}` },
    });
    const frames: Buffer[] = [];
    ws.on('message', (data: Buffer) => frames.push(data));
    await new Promise((resolve) => ws.once('open', resolve));
    ws.send(Buffer.from([0, ...Buffer.from('abc')]));
    ws.send(Buffer.from([255, 0]));
    await new Promise((resolve) => ws.once('close', resolve));
    expect(frames.map((f) => [f[0], f.subarray(1).toString()])).toEqual([
      [1, 'ABC'],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);
  });

  it('refuses unknown pods, containers and missing commands with a Status before upgrading', async () => {
    const statusOf = (path: string): Promise<{ code: number; body: string }> =>
      new Promise((resolve, reject) => {
        const ws = new WebSocket(`${cluster.url.replace(/^http/, 'ws')}${path}`, ['v5.channel.k8s.io'], {
          ca: cluster.caCertPem,
          headers: { Authorization: `Bearer ${cluster.access.users()[0]?.token}` },
        });
        ws.on('unexpected-response', (_req, res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on('end', () => resolve({ code: res.statusCode ?? 0, body }));
        });
        ws.on('open', () => reject(new Error('upgraded')));
        ws.on('error', () => {});
      });
    const base = '/api/v1/namespaces/default/pods';
    const gone = await statusOf(`${base}/ghost/exec?command=ls&stdout=true`);
    expect(gone.code).toBe(404);
    expect(JSON.parse(gone.body)).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'pods "ghost" not found',
    });
    expect((await statusOf(`${base}/shell/exec?command=ls&container=nope`)).code).toBe(400);
    expect(JSON.parse((await statusOf(`${base}/shell/exec`)).body).message).toContain('at least one command');
  });
});
