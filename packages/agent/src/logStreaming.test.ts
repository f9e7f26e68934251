import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKubeSmart, type KubeSmart, loadKubeConfig } from '@kubesmart/core';
import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { waitFor } from '@kubesmart/wait-for';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';
import { Agent } from './agent.js';
import { encodeFrame, PROTOCOL_VERSION } from './protocol/index.js';

const MiB = 1024 * 1024;
const LOG_LINES = 4096;
const LINE = 'y'.repeat(16 * 1024 - 1); // 4096 lines of 16 KiB: a 64 MiB log

/** A TCP relay in front of the API server that counts the bytes it hands the agent (respecting backpressure). */
async function countingRelay(
  target: URL,
): Promise<{ port: number; bytes: () => number; close(): Promise<void> }> {
  let bytes = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client).add(upstream);
    upstream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    upstream.pipe(client);
    client.pipe(upstream);
    const end = (): void => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    bytes: () => bytes,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

let cluster: MockCluster;
let dir: string;

beforeAll(async () => {
  cluster = await createMockCluster();
  dir = await mkdtemp(join(tmpdir(), 'agent-logs-'));
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'chatty', namespace: 'default' },
    spec: { containers: [{ name: 'main', image: 'chatty:1' }] },
  });
  await waitFor(
    'pod chatty to run',
    () => (cluster.get('pod', 'chatty', 'default')?.status as { phase?: string })?.phase === 'Running',
    { timeoutMs: 60_000 },
  );
  for (let i = 0; i < LOG_LINES; i += 1) cluster.pods.appendLog('chatty', LINE);
}, 120_000);

afterAll(async () => {
  await cluster?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("the agent streams a pod's log", () => {
  it('reads the log only as fast as the hub grants credit, and delivers all of it', async () => {
    const relay = await countingRelay(new URL(cluster.url));
    const path = await cluster.writeKubeconfig(join(dir, 'kubeconfig'));
    const relayed = (await readFile(path, 'utf8')).replace(
      new URL(cluster.url).host,
      `127.0.0.1:${relay.port}`,
    );
    await writeFile(path, relayed);
    const kubeSmart: KubeSmart = createKubeSmart({ kubeConfig: loadKubeConfig({ path }) });
    const hub = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => hub.once('listening', () => resolve()));
    const frames: Array<{ type: string; id?: number; data?: string; error?: unknown }> = [];
    let connection: WebSocket | undefined;
    hub.on('connection', (socket) => {
      connection = socket;
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string };
        if (frame.type === 'hello') {
          socket.send(
            JSON.stringify({
              type: 'welcome',
              protocol: PROTOCOL_VERSION,
              sessionId: 's-1',
              heartbeatMs: 60_000,
              window: 2,
              maxFrameBytes: 4 * MiB,
            }),
          );
          socket.send(
            encodeFrame({
              type: 'request',
              id: 1,
              op: 'logs',
              params: { namespace: 'default', pod: 'chatty' },
              timeoutMs: 60_000,
            }),
          );
          return;
        }
        frames.push(frame);
      });
    });
    const agent = new Agent({
      hubUrl: `http://127.0.0.1:${(hub.address() as { port: number }).port}/`,
      agentId: 'chatty-agent',
      clusterId: 'test',
      credential: 'ksa_0000000000000000_notcheckedbythisfakehubxxxxxxxx',
      kubeSmart,
      chunkBytes: 64 * 1024,
      maxFrameBytes: 4 * MiB,
    });
    try {
      agent.start();
      const chunks = () => frames.filter((f) => f.type === 'chunk');
      await waitFor('the two chunks of the window', () => chunks().length === 2, { timeoutMs: 60_000 });
      // No credit: the agent's reading stops once socket buffers fill, far short of the 64 MiB log.
      let last = -1;
      let steady = 0;
      await waitFor(
        'the log stream to pause without credit',
        () => {
          const now = relay.bytes();
          steady = now === last ? steady + 1 : 0;
          last = now;
          return steady >= 10;
        },
        { timeoutMs: 60_000, intervalMs: 100 },
      );
      expect(chunks()).toHaveLength(2);
      expect(relay.bytes()).toBeLessThan(32 * MiB);
      expect(frames.find((f) => f.type === 'response')).toMatchObject({ id: 1, ok: true });

      connection!.send(encodeFrame({ type: 'credit', id: 1, chunks: 1_000_000 }));
      await waitFor('the end of the stream', () => frames.some((f) => f.type === 'end'), {
        timeoutMs: 120_000,
      });
      const end = frames.find((f) => f.type === 'end')!;
      expect(end.error).toBeUndefined();
      const received = createHash('sha256');
      let length = 0;
      for (const chunk of chunks()) {
        received.update(chunk.data!);
        length += chunk.data!.length;
      }
      const expected = cluster.pods.logs('default', 'chatty');
      expect(length).toBe(expected.length);
      expect(received.digest('hex')).toBe(createHash('sha256').update(expected).digest('hex'));
      expect(agent.status().inFlight).toBe(0);
    } finally {
      await agent.close();
      hub.close();
      await kubeSmart.close();
      await relay.close();
    }
  }, 240_000);
});
