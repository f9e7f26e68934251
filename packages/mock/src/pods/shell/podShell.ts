import type { KubeObject } from '../../types.js';
import { PodFilesystem, resolvePath } from './podFilesystem.js';
import { COMMANDS, type CommandIo, type CommandOutput } from './shellCommands.js';
import {
  type AndOrList,
  type Pipeline,
  parseScript,
  ShellSyntaxError,
  type SimpleCommand,
  type Word,
} from './shellSyntax.js';

export interface PodShellOptions {
  /** The stored Pod. */
  readonly pod: KubeObject;
  readonly container: string;
  /** The cluster CA, for the service account volume's `ca.crt`. */
  readonly caCertPem?: string | undefined;
  /** Aborts a running `sleep` (the client went away). */
  readonly signal?: AbortSignal | undefined;
}

export interface ShellResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;

interface ContainerSpecView {
  name?: string;
  workingDir?: string;
  env?: { name?: string; value?: string; valueFrom?: { fieldRef?: { fieldPath?: string } } }[];
  securityContext?: { runAsUser?: number; runAsGroup?: number };
}

/** A field of the pod by `fieldRef.fieldPath` (`metadata.name`, `status.podIP`, ...). */
function fieldOf(pod: KubeObject, path: string): string {
  let cur: unknown = pod;
  for (const key of path.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[key];
  return cur === undefined || cur === null ? '' : String(cur);
}

/**
 * The shell of a fake pod's container: `sh -c SCRIPT` (and `sh` reading its script from stdin)
 * with `;`, `&&`, `||`, pipes, quotes, `$VAR`, `$?`, assignments, `cd`, `exit`, `export` and
 * redirections to `/dev/null` or between stdout and stderr, over the programs of shellCommands.ts
 * and the read-only filesystem of podFilesystem.ts. The environment is the container's (`env`
 * values and field references), with PATH, HOSTNAME, HOME and the kubernetes Service variables.
 */
export function podShell(options: PodShellOptions): PodShell {
  const { pod } = options;
  const spec = (pod.spec ?? {}) as {
    containers?: ContainerSpecView[];
    hostname?: string;
    securityContext?: ContainerSpecView['securityContext'];
  };
  const container = spec.containers?.find((c) => c.name === options.container) ?? spec.containers?.[0] ?? {};
  const namespace = pod.metadata.namespace ?? 'default';
  const hostname = spec.hostname ?? pod.metadata.name ?? 'localhost';
  const env = new Map<string, string>([
    ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
    ['HOSTNAME', hostname],
    ['HOME', '/root'],
  ]);
  for (const variable of container.env ?? []) {
    if (!variable.name) continue;
    const fieldPath = variable.valueFrom?.fieldRef?.fieldPath;
    env.set(variable.name, fieldPath ? fieldOf(pod, fieldPath) : (variable.value ?? ''));
  }
  for (const [k, v] of Object.entries({
    KUBERNETES_SERVICE_HOST: '10.96.0.1',
    KUBERNETES_SERVICE_PORT: '443',
    KUBERNETES_SERVICE_PORT_HTTPS: '443',
    KUBERNETES_PORT: 'tcp://10.96.0.1:443',
  })) {
    if (!env.has(k)) env.set(k, v);
  }
  const security = { ...spec.securityContext, ...container.securityContext };
  return new PodShell({
    stdin: '',
    env,
    fs: new PodFilesystem({ pod, namespace, hostname, caCertPem: options.caCertPem }),
    cwd: container.workingDir ?? '/',
    user: { uid: security.runAsUser ?? 0, gid: security.runAsGroup ?? 0 },
    hostname,
    signal: options.signal,
  });
}

/** One shell process: its variables, working directory and last status. */
export class PodShell {
  readonly #io: CommandIo;
  #status = 0;
  #exited: number | undefined;

  /** A shell over prepared state; see {@link podShell} for the shell of a pod's container. */
  constructor(io: CommandIo) {
    this.#io = io;
  }

  /** Runs an exec command line as the container runtime would: a program and its arguments. */
  async exec(argv: readonly string[], stdin: string): Promise<ShellResult> {
    const [program = '', ...args] = argv;
    const name = program.split('/').pop() ?? '';
    if (SHELLS.has(name)) {
      const flag = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
      const script = flag >= 0 ? (args[flag + 1] ?? '') : stdin;
      if (flag >= 0 && args[flag + 1] === undefined) {
        return { stdout: '', stderr: `${name}: -c requires an argument\n`, exitCode: 2 };
      }
      return this.script(script, flag >= 0 ? stdin : '');
    }
    const command = COMMANDS[name];
    if (!command || (program.includes('/') && !this.#io.fs.get(program))) {
      return { stdout: '', stderr: `sh: ${program}: command not found\n`, exitCode: 127 };
    }
    const out = await command(args, { ...this.#io, stdin });
    return { stdout: out.stdout, stderr: out.stderr, exitCode: out.code };
  }

  /** Runs a script to its end (or its `exit`). */
  async script(script: string, stdin: string): Promise<ShellResult> {
    let lists: AndOrList[];
    try {
      lists = parseScript(script);
    } catch (error) {
      if (!(error instanceof ShellSyntaxError)) throw error;
      return { stdout: '', stderr: `sh: ${error.message}\n`, exitCode: 2 };
    }
    const result: ShellResult = { stdout: '', stderr: '', exitCode: 0 };
    for (const list of lists) {
      if (this.#exited !== undefined || this.#io.signal?.aborted) break;
      let status = await this.#pipeline(list.first, stdin, result);
      for (const { op, pipeline } of list.rest) {
        if (this.#exited !== undefined) break;
        if ((op === '&&' && status === 0) || (op === '||' && status !== 0)) {
          status = await this.#pipeline(pipeline, stdin, result);
        }
      }
      this.#status = status;
    }
    result.exitCode = this.#exited ?? this.#status;
    return result;
  }

  async #pipeline(pipeline: Pipeline, stdin: string, result: ShellResult): Promise<number> {
    let input = stdin;
    let status = 0;
    for (const [index, command] of pipeline.entries()) {
      const last = index === pipeline.length - 1;
      const out = await this.#command(command, input);
      status = out.code;
      result.stderr += out.stderr;
      if (last) result.stdout += out.stdout;
      else input = out.stdout;
      this.#status = status;
      if (this.#exited !== undefined) break;
    }
    return status;
  }

  async #command(command: SimpleCommand, stdin: string): Promise<CommandOutput> {
    const assignments: [string, string][] = [];
    let words = command.words;
    for (let word = words[0]; word; word = words[0]) {
      const first = word[0];
      if (first?.kind !== 'text' || first.quoted) break;
      const match = ASSIGNMENT.exec(first.text);
      if (!match) break;
      const value = this.#expand([{ ...first, text: first.text.slice(match[0].length) }, ...word.slice(1)]);
      assignments.push([match[1] ?? '', value.join(' ')]);
      words = words.slice(1);
    }
    const argv = words.flatMap((w) => this.#expand(w));
    let input = stdin;
    // Where fd 1 and 2 end up: the command's stdout, its stderr, or nowhere.
    const route: Record<1 | 2, 'out' | 'err' | 'null'> = { 1: 'out', 2: 'err' };
    for (const redirect of command.redirects) {
      if (redirect.target === '&1' || redirect.target === '&2') {
        if (redirect.fd !== 0) route[redirect.fd] = route[redirect.target === '&1' ? 1 : 2];
        continue;
      }
      const target = this.#expand(redirect.target).join(' ');
      if (redirect.fd === 0) {
        const node = this.#io.fs.get(resolvePath(this.#io.cwd, target));
        if (node?.kind !== 'file')
          return { stdout: '', stderr: `sh: can't open ${target}: no such file\n`, code: 1 };
        input = node.content;
      } else if (target === '/dev/null') route[redirect.fd] = 'null';
      else return { stdout: '', stderr: `sh: can't create ${target}: Read-only file system\n`, code: 1 };
    }
    const raw = await this.#run(argv, assignments, input);
    const routed: CommandOutput = { stdout: '', stderr: '', code: raw.code };
    const send = (fd: 1 | 2, text: string): void => {
      if (route[fd] === 'out') routed.stdout += text;
      else if (route[fd] === 'err') routed.stderr += text;
    };
    send(1, raw.stdout);
    send(2, raw.stderr);
    return routed;
  }

  async #run(argv: string[], assignments: [string, string][], stdin: string): Promise<CommandOutput> {
    const io = this.#io;
    if (argv.length === 0) {
      for (const [k, v] of assignments) io.env.set(k, v);
      return { stdout: '', stderr: '', code: 0 };
    }
    const [program = '', ...args] = argv;
    switch (program) {
      case 'exit': {
        const code = args[0] === undefined ? this.#status : Number(args[0]);
        this.#exited = Number.isInteger(code) ? code & 0xff : 2;
        return { stdout: '', stderr: '', code: this.#exited };
      }
      case 'cd': {
        const path = resolvePath(io.cwd, args[0] ?? io.env.get('HOME') ?? '/');
        if (io.fs.get(path)?.kind !== 'dir')
          return {
            stdout: '',
            stderr: `sh: cd: can't cd to ${args[0]}: No such file or directory\n`,
            code: 2,
          };
        io.cwd = path;
        return { stdout: '', stderr: '', code: 0 };
      }
      case 'export':
      case 'unset':
        for (const arg of args) {
          const [k = '', ...v] = arg.split('=');
          if (program === 'unset') io.env.delete(k);
          else if (v.length > 0) io.env.set(k, v.join('='));
        }
        return { stdout: '', stderr: '', code: 0 };
      case ':':
        return { stdout: '', stderr: '', code: 0 };
    }
    const env = new Map(io.env);
    for (const [k, v] of assignments) env.set(k, v);
    const name =
      program.includes('/') && io.fs.get(program)?.kind === 'file'
        ? (program.split('/').pop() ?? '')
        : program;
    if (SHELLS.has(name)) {
      const inner = await new PodShell({ ...io, env }).exec(argv, stdin);
      return { stdout: inner.stdout, stderr: inner.stderr, code: inner.exitCode };
    }
    const command = COMMANDS[name];
    if (!command) return { stdout: '', stderr: `sh: ${program}: not found\n`, code: 127 };
    return command(args, { ...io, env, stdin });
  }

  /** A word's fields: unquoted expansions split on blanks; a word of nothing but them may vanish. */
  #expand(word: Word): string[] {
    const fields: string[] = [''];
    let kept = false;
    for (const part of word) {
      if (part.kind === 'text') {
        fields[fields.length - 1] += part.text;
        kept = true;
        continue;
      }
      const value = this.#variable(part.name);
      if (part.quoted) {
        fields[fields.length - 1] += value;
        kept = true;
        continue;
      }
      const pieces = value.split(/\s+/);
      pieces.forEach((piece, i) => {
        if (i > 0) fields.push('');
        fields[fields.length - 1] += piece;
      });
      if (value.trim() !== '') kept = true;
    }
    const nonEmpty = fields.filter((f, i) => f !== '' || (kept && fields.length === 1 && i === 0));
    return kept ? (nonEmpty.length > 0 ? nonEmpty : ['']) : nonEmpty;
  }

  #variable(name: string): string {
    if (name === '?') return String(this.#status);
    if (name === '$') return '1';
    if (name === '#') return '0';
    if (name === '0') return 'sh';
    return this.#io.env.get(name) ?? '';
  }
}
