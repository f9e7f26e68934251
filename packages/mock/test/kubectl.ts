import { type ChildProcess, spawn } from 'node:child_process';

/** How a child process ended, with everything it wrote. */
export interface ProcessResult {
  /** The exit code, or null when a signal ended it. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ProcessOptions {
  /** The whole environment of the child (nothing is inherited). @default { PATH } */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is closed at once. */
  input?: string;
  cwd?: string;
}

export interface RunOptions extends ProcessOptions {
  /** The child is killed (SIGKILL) after this long and the run fails. @default 60000 */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/** A child process that keeps running while a test reads its output. */
export interface RunningProcess {
  readonly child: ChildProcess;
  /** Everything written to stdout so far. */
  stdout(): string;
  stderr(): string;
  /** Settles when the child exits. */
  readonly exited: Promise<ProcessResult>;
  /**
   * Resolves once `check(stdout)` is truthy; fails with `what` and the output after `timeoutMs` or
   * when the child exits first.
   */
  waitForOutput<T>(what: string, check: (stdout: string) => T, timeoutMs?: number): Promise<NonNullable<T>>;
  /** Ends the child (SIGTERM, then SIGKILL after 5 s) and resolves with its result. */
  stop(): Promise<ProcessResult>;
}

/** Starts `command` with its own environment and pipes for every stream. */
export function startProcess(
  command: string,
  args: readonly string[],
  options: ProcessOptions = {},
): RunningProcess {
  const child = spawn(command, args, {
    env: options.env ?? { PATH: process.env.PATH },
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin?.on('error', () => {
    // The child may exit before reading its input; the exit code tells the story.
  });
  child.stdin?.end(options.input);
  const exited = new Promise<ProcessResult>((resolve, reject) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === 'ENOENT'
          ? `${command} is not installed or not on PATH: the conformance tests run the real client`
          : `${command} could not start: ${error.message}`;
      reject(new Error(reason, { cause: error }));
    });
    child.on('close', (code, signal) => {
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let done = false;
  exited.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const describe = () => `${command} ${args.join(' ')}`;
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput(what, check, timeoutMs = DEFAULT_TIMEOUT_MS) {
      return new Promise((resolve, reject) => {
        const finish = (error?: Error, value?: unknown) => {
          clearTimeout(timer);
          listeners.delete(listener);
          if (error) reject(error);
          else resolve(value as never);
        };
        const listener = () => {
          let value: unknown;
          try {
            value = check(stdout);
          } catch (error) {
            finish(error as Error);
            return;
          }
          if (value) finish(undefined, value);
          else if (done || child.exitCode !== null || child.signalCode !== null) {
            finish(new Error(`${describe()} exited before ${what}; stdout: ${stdout} stderr: ${stderr}`));
          }
        };
        const timer = setTimeout(
          () =>
            finish(
              new Error(
                `timed out waiting for ${what} from ${describe()}; stdout: ${stdout} stderr: ${stderr}`,
              ),
            ),
          timeoutMs,
        );
        listeners.add(listener);
        listener();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
}

/** Runs `command` to its end and resolves with its result whatever its exit code; rejects on a timeout. */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const running = startProcess(command, args, options);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    running.child.kill('SIGKILL');
  }, timeoutMs);
  try {
    const result = await running.exited;
    if (timedOut) {
      throw new Error(
        `${command} ${args.join(' ')} did not finish within ${timeoutMs} ms; stdout: ${result.stdout} stderr: ${result.stderr}`,
      );
    }
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the installed kubectl with its own HOME (so its discovery cache stays out of the real one) and
 * no stdin; resolves with stdout, rejects with the exit code and stderr.
 */
export async function kubectl(args: string[], home: string): Promise<string> {
  const result = await runProcess('kubectl', args, { env: { PATH: process.env.PATH, HOME: home } });
  if (result.code !== 0)
    throw new Error(`kubectl ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  return result.stdout;
}
