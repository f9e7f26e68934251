import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./hubProcess.ts', import.meta.url));

export interface HubChild {
  url: string;
  ask<T>(command: 'mem' | 'memraw' | 'stats'): Promise<T>;
  stop(): Promise<void>;
}

/** Starts bench/hubProcess.ts under tsx with `env` and waits for its URL. */
export async function startHubChild(env: Record<string, string>): Promise<HubChild> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--expose-gc', '--conditions=source', '--import', 'tsx', SCRIPT],
    {
      env: { ...process.env, ...env },
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  let ready: (url: string) => void;
  const started = new Promise<string>((resolve) => {
    ready = resolve;
  });
  lines.on('line', (line) => {
    if (line.startsWith('listening ')) ready(line.slice('listening '.length));
    else waiting.shift()?.(line);
  });
  const url = await started;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    ask: <T>(command: string) =>
      new Promise<T>((resolve) => {
        waiting.push((line) => resolve(JSON.parse(line) as T));
        child.stdin!.write(`${command}\n`);
      }),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
