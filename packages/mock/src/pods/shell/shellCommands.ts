import { type PodFilesystem, resolvePath } from './podFilesystem.js';

/** What a command sees: its stdin, the shell's variables and working directory. */
export interface CommandIo {
  readonly stdin: string;
  readonly env: Map<string, string>;
  readonly fs: PodFilesystem;
  cwd: string;
  readonly user: { readonly uid: number; readonly gid: number };
  readonly hostname: string;
  readonly signal: AbortSignal | undefined;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
  code: number;
}

export type Command = (args: readonly string[], io: CommandIo) => CommandOutput | Promise<CommandOutput>;

const ok = (stdout = ''): CommandOutput => ({ stdout, stderr: '', code: 0 });
const fail = (stderr: string, code = 1): CommandOutput => ({ stdout: '', stderr, code });

function readFile(io: CommandIo, name: string, program: string): { text?: string; error?: string } {
  if (name === '-') return { text: io.stdin };
  const node = io.fs.get(resolvePath(io.cwd, name));
  if (!node) return { error: `${program}: can't open '${name}': No such file or directory\n` };
  if (node.kind === 'dir') return { error: `${program}: read error: Is a directory\n` };
  return { text: node.content };
}

/** Runs `each` over the named files (stdin without names), collecting output and errors. */
function overFiles(
  io: CommandIo,
  program: string,
  names: readonly string[],
  each: (text: string) => string,
): CommandOutput {
  const out: CommandOutput = ok();
  for (const name of names.length > 0 ? names : ['-']) {
    const { text, error } = readFile(io, name, program);
    if (error) {
      out.stderr += error;
      out.code = 1;
    } else out.stdout += each(text ?? '');
  }
  return out;
}

const lines = (text: string): string[] => {
  const all = text.split('\n');
  if (all[all.length - 1] === '') all.pop();
  return all;
};

/** `-n N` or `-N`, then the rest. */
function countOption(args: readonly string[], fallback: number): { count: number; rest: string[] } {
  const rest = [...args];
  let count = fallback;
  if (rest[0] === '-n' && rest[1] !== undefined) {
    count = Number(rest[1]);
    rest.splice(0, 2);
  } else if (/^-\d+$/.test(rest[0] ?? '')) count = Number(rest.shift()?.slice(1));
  return { count, rest };
}

function ls(args: readonly string[], io: CommandIo): CommandOutput {
  const flags = args.filter((a) => a.startsWith('-') && a !== '-').join('');
  const all = flags.includes('a');
  const long = flags.includes('l');
  const targets = args.filter((a) => !a.startsWith('-') || a === '-');
  const out = ok();
  const row = (name: string, dir: boolean): string =>
    long
      ? `${dir ? 'drwxr-xr-x' : '-rw-r--r--'}    1 root     root             0 Jan  1 00:00 ${name}\n`
      : `${name}\n`;
  const paths = targets.length > 0 ? targets : ['.'];
  paths.forEach((target, index) => {
    const path = resolvePath(io.cwd, target);
    const node = io.fs.get(path);
    if (!node) {
      out.stderr += `ls: ${target}: No such file or directory\n`;
      out.code = 1;
      return;
    }
    if (node.kind === 'file') {
      out.stdout += row(target, false);
      return;
    }
    if (paths.length > 1) out.stdout += `${index > 0 ? '\n' : ''}${target}:\n`;
    const names = [...(all ? ['.', '..'] : []), ...io.fs.list(path)];
    for (const name of names) {
      const child = name === '.' || name === '..' ? { kind: 'dir' } : io.fs.get(resolvePath(path, name));
      out.stdout += row(name, child?.kind === 'dir');
    }
  });
  return out;
}

function grep(args: readonly string[], io: CommandIo): CommandOutput {
  const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const [pattern, ...files] = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
  if (pattern === undefined) return fail('Usage: grep [-ivc] PATTERN [FILE]...\n', 2);
  let regex: RegExp;
  try {
    regex = new RegExp(pattern, flags.includes('i') ? 'i' : '');
  } catch {
    return fail(`grep: bad regex '${pattern}'\n`, 2);
  }
  let matched = 0;
  const out = overFiles(io, 'grep', files, (text) => {
    const hits = lines(text).filter((line) => regex.test(line) !== flags.includes('v'));
    matched += hits.length;
    return flags.includes('c') ? `${hits.length}\n` : hits.map((l) => `${l}\n`).join('');
  });
  return out.code !== 0 ? { ...out, code: 2 } : { ...out, code: matched > 0 ? 0 : 1 };
}

function sleep(args: readonly string[], io: CommandIo): Promise<CommandOutput> {
  const seconds = Number(args[0]);
  if (args[0] === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return Promise.resolve(fail(`sleep: invalid number '${args[0] ?? ''}'\n`));
  }
  return new Promise((resolve) => {
    if (io.signal?.aborted) {
      resolve(fail('', 130));
      return;
    }
    const timer = setTimeout(() => {
      io.signal?.removeEventListener('abort', onAbort);
      resolve(ok());
    }, seconds * 1000);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(fail('', 130));
    };
    io.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const printEnv = (env: Map<string, string>): string =>
  [...env.entries()].map(([k, v]) => `${k}=${v}\n`).join('');

const userName = (uid: number): string | undefined =>
  uid === 0 ? 'root' : uid === 65534 ? 'nobody' : undefined;

/** The programs of the fake pods' shell, with busybox's messages and exit codes. */
export const COMMANDS: Readonly<Record<string, Command>> = {
  true: () => ok(),
  false: () => fail(''),
  echo: (args) => {
    const noNewline = args[0] === '-n';
    const text = (noNewline ? args.slice(1) : args).join(' ');
    return ok(noNewline ? text : `${text}\n`);
  },
  env: (_args, io) => ok(printEnv(io.env)),
  printenv: (args, io) => {
    if (args.length === 0) return ok(printEnv(io.env));
    const found = args.filter((name) => io.env.has(name));
    return {
      stdout: found.map((n) => `${io.env.get(n)}\n`).join(''),
      stderr: '',
      code: found.length === args.length ? 0 : 1,
    };
  },
  hostname: (_args, io) => ok(`${io.hostname}\n`),
  pwd: (_args, io) => ok(`${io.cwd}\n`),
  whoami: (_args, io) => {
    const name = userName(io.user.uid);
    return name ? ok(`${name}\n`) : fail(`whoami: unknown uid ${io.user.uid}\n`);
  },
  id: (args, io) => {
    const { uid, gid } = io.user;
    if (args.includes('-u')) return ok(`${uid}\n`);
    if (args.includes('-g')) return ok(`${gid}\n`);
    const u = userName(uid);
    const g = userName(gid);
    const fmt = (n: number, name: string | undefined): string => (name ? `${n}(${name})` : `${n}`);
    return ok(`uid=${fmt(uid, u)} gid=${fmt(gid, g)} groups=${fmt(gid, g)}\n`);
  },
  ls,
  cat: (args, io) => overFiles(io, 'cat', args, (text) => text),
  head: (args, io) => {
    const { count, rest } = countOption(args, 10);
    return overFiles(io, 'head', rest, (text) =>
      lines(text)
        .slice(0, count)
        .map((l) => `${l}\n`)
        .join(''),
    );
  },
  tail: (args, io) => {
    const { count, rest } = countOption(args, 10);
    return overFiles(io, 'tail', rest, (text) =>
      (count === 0 ? [] : lines(text).slice(-count)).map((l) => `${l}\n`).join(''),
    );
  },
  wc: (args, io) => {
    const onlyLines = args.includes('-l');
    const files = args.filter((a) => !a.startsWith('-'));
    return overFiles(io, 'wc', files, (text) => {
      const l = (text.match(/\n/g) ?? []).length;
      if (onlyLines) return `${l}\n`;
      const words = text.split(/\s+/).filter(Boolean).length;
      return `${String(l).padStart(7)} ${String(words).padStart(7)} ${String(Buffer.byteLength(text)).padStart(7)}\n`;
    });
  },
  grep,
  sleep,
};
