import { readFileSync } from 'node:fs';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { KubeSmartError } from '@kubesmart/core';
import { type Command, type CommandIo, type OptionValues, UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { openSession, type Session } from './session.js';

const GLOBAL_OPTIONS = {
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  mock: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies NonNullable<ParseArgsConfig['options']>;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return `Usage: kubesmart COMMAND [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

${COMMANDS.map((c) => usageOf(c)).join('\n')}

Options for every command:
  --kubeconfig FILE   kubeconfig to use (default: in-cluster, KUBECONFIG, ~/.kube/config)
  --context NAME      kubeconfig context to use
  -n, --namespace NS  namespace (default: the context's, else default)
  --mock              start an embedded emulated cluster with healthy and broken sample pods
  -h, --help          show this help
  --version           print the version
`;
}

/** A command's usage lines, each starting with `kubesmart`. */
function usageOf(command: Command): string {
  return command.usage
    .split('\n')
    .map((line) => `  kubesmart ${line.trim()}`)
    .join('\n');
}

type Options = NonNullable<ParseArgsConfig['options']>;

/**
 * Checks the options against the ones `kubesmart` (and the command) take, before Node's parser sees
 * them, so a mistake reads as ours: the option and the command named, and the usage.
 */
function checkOptions(args: readonly string[], options: Options, command: Command | undefined): void {
  const { tokens } = parseArgs({
    args: [...args],
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const where = command ? `kubesmart ${command.name}` : 'kubesmart';
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const option = options[token.name];
    if (!option) {
      throw new UsageError(`${where} has no option ${token.rawName}`);
    }
    const spelled = token.rawName.startsWith('--') ? token.rawName : `-${option.short} (--${token.name})`;
    if (option.type === 'string' && token.value === undefined)
      throw new UsageError(`${spelled} needs a value`);
    if (option.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      throw new UsageError(
        `${spelled} needs a value, not the option ${token.value} (a value that starts with "-" goes as --${token.name}=${token.value})`,
      );
    }
    if (option.type === 'boolean' && token.inlineValue) {
      throw new UsageError(`${spelled} takes no value; write ${token.rawName} alone`);
    }
  }
}

/** Options that take a value, as `--name` and `-x`: so the command name can be told from a value. */
function valueFlags(): Set<string> {
  const flags = new Set<string>();
  for (const options of [GLOBAL_OPTIONS, ...COMMANDS.map((c) => c.options)]) {
    for (const [name, option] of Object.entries(options)) {
      if (option.type !== 'string') continue;
      flags.add(`--${name}`);
      if (option.short) flags.add(`-${option.short}`);
    }
  }
  return flags;
}

/** The index of the first argument that is neither an option nor an option's value. */
function commandIndex(argv: readonly string[]): number {
  const takesValue = valueFlags();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-')) return i;
    if (takesValue.has(arg)) i += 1;
  }
  return -1;
}

/** Runs `kubesmart ARGS`; returns the exit code (0 done, 1 failed, 2 usage error). */
export async function runCli(input: readonly string[], io: CommandIo): Promise<number> {
  // `pnpm start -- ARGS` and `npm start -- ARGS` hand the separator on: a leading `--` is dropped.
  const argv = input[0] === '--' ? input.slice(1) : input;
  const at = commandIndex(argv);
  const name = at < 0 ? undefined : argv[at];
  const command: Command | undefined = COMMANDS.find((c) => c.name === name);
  let session: Promise<Session> | undefined;
  let held: Promise<unknown> | undefined;
  try {
    if (name !== undefined && !command) throw new UsageError(`unknown command "${name}"`);
    const args = argv.filter((_, i) => i !== at);
    checkOptions(args, { ...GLOBAL_OPTIONS, ...command?.options }, command);
    const { values, positionals } = parseArgs({
      args,
      options: { ...GLOBAL_OPTIONS, ...command?.options },
      allowPositionals: true,
      strict: true,
    });
    if (values.version) {
      io.out(`${version()}\n`);
      return 0;
    }
    if (values.help || !command) {
      io.out(usage());
      return command || values.help ? 0 : 2;
    }
    const code = await command.run({
      positionals,
      values: values as OptionValues,
      io,
      session: () => {
        session ??= openSession({
          kubeconfig: values.kubeconfig,
          context: values.context,
          namespace: values.namespace,
          mock: values.mock,
        });
        return session;
      },
      hold: (done) => {
        held = done;
      },
    });
    await held;
    return code;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${(error as Error).message}\n\n${command ? `Usage:\n${usageOf(command)}\n` : usage()}`);
      return 2;
    }
    if (error instanceof KubeSmartError) io.err(`error [${error.code}]: ${error.message}\n`);
    else io.err(`error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  } finally {
    if (session) await session.then((s) => s.close()).catch(() => undefined);
  }
}
