import type https from 'node:https';
import WebSocket from 'ws';
import type { KubeClient } from '../../cluster/kubeClient.js';
import {
  errorFromResponse,
  errorFromStatus,
  type RequestContext,
  unreachableError,
} from '../../cluster/kubeErrors.js';
import { CallTimeoutError } from '../../errors.js';
import type { Clock } from '../../types.js';

export interface ExecOptions {
  /** @default the pod's first container */
  container?: string;
  /** Text sent on stdin, then closed. @default none */
  stdin?: string;
  /** @default the engine's `execTimeoutMs` */
  timeoutMs?: number;
}

/** What a command printed and how it ended. */
export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  /** 0 on success. */
  readonly exitCode: number;
}

interface ExecStatus {
  status?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { reason?: string; message?: string }[] };
}

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];

/** The exit code of a v4/v5 status: 0 for Success, the `ExitCode` cause for NonZeroExitCode. */
function exitCodeOf(status: ExecStatus | undefined, ctx: RequestContext): number {
  if (status === undefined || status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  if (cause?.message !== undefined && /^\d+$/.test(cause.message)) return Number(cause.message);
  throw errorFromStatus(
    status.code ?? 500,
    { message: status.message, reason: status.reason, code: status.code },
    ctx,
  );
}

/**
 * Runs a command in a pod over the exec subresource's WebSocket channel protocol (v5, v4), with the
 * KubeConfig's TLS and credentials: channel 1 stdout, 2 stderr, 3 the status with the exit code.
 * A refused upgrade maps to the core error model; a command that outlives `timeoutMs` is cut and
 * rejects with {@link CallTimeoutError}.
 */
export async function execInPod(
  client: KubeClient,
  clock: Clock,
  target: { namespace: string; name: string; command: readonly string[] },
  options: ExecOptions & { timeoutMs: number },
): Promise<ExecResult> {
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/pods/${encodeURIComponent(target.name)}/exec`;
  const query = new URLSearchParams();
  for (const part of target.command) query.append('command', part);
  if (options.container) query.set('container', options.container);
  query.set('stdout', 'true');
  query.set('stderr', 'true');
  if (options.stdin !== undefined) query.set('stdin', 'true');
  const ctx: RequestContext = { server: client.server, method: 'POST', path: `${path}/`, query };
  const requestOptions: https.RequestOptions = {};
  try {
    await client.kubeConfig.applyToHTTPSOptions(requestOptions);
  } catch (error) {
    throw unreachableError(error, ctx, `the KubeConfig could not be applied: ${(error as Error).message}`);
  }
  const url = `${client.server.replace(/^http/, 'ws')}${path}?${query}`;
  return new Promise((resolve, reject) => {
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let status: ExecStatus | undefined;
    let settled = false;
    const ws = new WebSocket(url, PROTOCOLS, requestOptions as WebSocket.ClientOptions);
    const settle = (error: unknown, result?: ExecResult): void => {
      if (settled) return;
      settled = true;
      clock.clearTimeout(timer);
      if (ws.readyState !== ws.CLOSED) ws.terminate();
      if (error) reject(error);
      else resolve(result as ExecResult);
    };
    const timer = clock.setTimeout(() => {
      settle(
        new CallTimeoutError(
          `exec of "${target.command.join(' ')}" in pod ${target.namespace}/${target.name} did not finish within ${options.timeoutMs} ms; raise timeoutMs or check the command.`,
        ),
      );
    }, options.timeoutMs);
    ws.on('unexpected-response', (_req, res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        settle(errorFromResponse(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), ctx)),
      );
      res.on('error', (error) => settle(unreachableError(error, ctx, 'the exec upgrade was cut')));
    });
    ws.on('error', (error) => settle(unreachableError(error, ctx, 'the exec stream failed')));
    ws.on('open', () => {
      if (options.stdin === undefined) return;
      ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(options.stdin, 'utf8')]));
      if (ws.protocol === 'v5.channel.k8s.io') ws.send(Buffer.from([255, 0]));
    });
    ws.on('message', (data: Buffer) => {
      const channel = data[0];
      const body = data.subarray(1);
      if (channel === 1) stdout.push(body);
      else if (channel === 2) stderr.push(body);
      else if (channel === 3 && body.length > 0) {
        try {
          status = JSON.parse(body.toString('utf8')) as ExecStatus;
        } catch {
          status = { status: 'Failure', message: body.toString('utf8') };
        }
      }
    });
    ws.on('close', () => {
      try {
        const exitCode = exitCodeOf(status, ctx);
        settle(undefined, {
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          exitCode,
        });
      } catch (error) {
        settle(error);
      }
    });
  });
}
