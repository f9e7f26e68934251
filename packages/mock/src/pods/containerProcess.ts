import type { PodShell } from './shell/podShell.js';

export type OutputStream = 'stdout' | 'stderr';

export interface ProcessListener {
  onOutput(stream: OutputStream, text: string): void;
  onExit(exitCode: number): void;
}

/** What `kubectl attach` reaches in a container: see `PodFleet.attachTarget`. */
export interface AttachTarget {
  /** The exit code of a container process that already ended. */
  readonly exitCode: number | undefined;
  /** Streams the container's output from now on; returns the function that detaches. */
  attach(listener: ProcessListener): () => void;
  /** The container's stdin, for the first client that asks (`stdinOnce`). */
  claimStdin(): { write(text: string): void; close(): void } | undefined;
}

/**
 * The main process of a container that runs to completion (a pod with `restartPolicy: Never` or
 * `OnFailure` whose container has a `command` or `args`): the container's shell runs it. A container
 * with `stdin: true` reads its stdin from the first client that attaches and starts once that stdin
 * closes (the shell needs all of its input), which is also when `kubectl run -i` has attached.
 * Output goes to the log and to every attached client; the exit code ends the container.
 */
export class ContainerProcess {
  readonly container: string;
  readonly wantsStdin: boolean;
  readonly #argv: readonly string[];
  readonly #shell: PodShell;
  readonly #listeners = new Set<ProcessListener>();
  readonly #abort: AbortController;
  readonly #stdin: string[] = [];
  #stdinClaimed = false;
  #releaseStdin: (() => void) | undefined;
  #exitCode: number | undefined;
  #started = false;

  constructor(options: {
    container: string;
    argv: readonly string[];
    wantsStdin: boolean;
    shell: (signal: AbortSignal) => PodShell;
    listener: ProcessListener;
  }) {
    this.container = options.container;
    this.wantsStdin = options.wantsStdin;
    this.#argv = options.argv;
    this.#abort = new AbortController();
    this.#shell = options.shell(this.#abort.signal);
    this.#listeners.add(options.listener);
  }

  get exitCode(): number | undefined {
    return this.#exitCode;
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#run();
  }

  /** Adds an attached client; returns the function that detaches it. */
  attach(listener: ProcessListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The first attach with stdin gets it (`stdinOnce`); later ones get none. */
  claimStdin(): { write(text: string): void; close(): void } | undefined {
    if (!this.wantsStdin || this.#stdinClaimed || this.#exitCode !== undefined) return undefined;
    this.#stdinClaimed = true;
    return {
      write: (text) => {
        if (this.#releaseStdin) this.#stdin.push(text);
      },
      close: () => this.#releaseStdin?.(),
    };
  }

  /** Stops a running `sleep` and the rest of the script (the pod is going away). */
  kill(): void {
    this.#abort.abort();
    this.#releaseStdin?.();
  }

  async #run(): Promise<void> {
    if (this.wantsStdin) {
      await new Promise<void>((resolve) => {
        this.#releaseStdin = () => {
          this.#releaseStdin = undefined;
          resolve();
        };
      });
    }
    let exitCode: number;
    try {
      const result = await this.#shell.exec(this.#argv, this.#stdin.join(''));
      if (result.stdout) this.#emit('stdout', result.stdout);
      if (result.stderr) this.#emit('stderr', result.stderr);
      exitCode = this.#abort.signal.aborted ? 137 : result.exitCode;
    } catch (error) {
      this.#emit('stderr', `${(error as Error)?.message ?? String(error)}\n`);
      exitCode = 128;
    }
    this.#exitCode = exitCode;
    for (const listener of [...this.#listeners]) listener.onExit(exitCode);
  }

  #emit(stream: OutputStream, text: string): void {
    for (const listener of [...this.#listeners]) listener.onOutput(stream, text);
  }
}
