import { once } from 'node:events';
import { createInterface } from 'node:readline';
import repl, { type REPLServer } from 'node:repl';
import { PassThrough, type Readable } from 'node:stream';
import type { Command } from '../command.js';
import { replWriter } from '../replWriter.js';

const BANNER = (namespace: string, mock: boolean): string =>
  `kubesmart console${mock ? ' (embedded emulated cluster)' : ''}, namespace ${namespace}
  q        queries: await q.pods().broken().all(), q.deployments().named('web').pods(), ...explain()
  ks       the KubeSmart instance${mock ? '\n  cluster  the emulated cluster (cluster.pods.setContainerState, ...)' : ''}
Top-level await works. .exit or Ctrl-D quits.
`;

/**
 * Feeds piped input one line at a time, each once the REPL shows its prompt again: after the previous
 * evaluation finished (awaits included), failed (an uncaught error is printed and the script goes on),
 * or asked for more of a multi-line input. The console exits after the last line.
 */
function feedInOrder(source: Readable, server: REPLServer, input: PassThrough): void {
  const lines: string[] = [];
  let ended = false;
  let ready = true;
  const next = (): void => {
    if (!ready) return;
    const line = lines.shift();
    if (line === undefined) {
      if (ended) input.end();
      return;
    }
    ready = false;
    input.write(`${line}\n`);
  };
  const displayPrompt = server.displayPrompt.bind(server);
  server.displayPrompt = (preserveCursor?: boolean) => {
    displayPrompt(preserveCursor);
    ready = true;
    setImmediate(next);
  };
  const reader = createInterface({ input: source, crlfDelay: Number.POSITIVE_INFINITY });
  reader.on('line', (line) => {
    lines.push(line);
    next();
  });
  reader.on('close', () => {
    ended = true;
    next();
  });
}

export const consoleCommand: Command = {
  name: 'console',
  summary: 'a REPL with q (queries) and ks preloaded, tables for results, top-level await',
  usage: 'console [--mock] [-n NS]',
  options: {},
  async run({ session, io, hold }) {
    const s = await session();
    const interactive = process.stdin.isTTY === true;
    io.out(BANNER(s.namespace, s.cluster !== undefined));
    const input = interactive ? process.stdin : new PassThrough();
    const server = repl.start({
      prompt: 'kubesmart> ',
      input,
      output: process.stdout,
      terminal: interactive,
      useGlobal: false,
      writer: replWriter(interactive && process.stdout.isTTY === true),
    });
    Object.assign(server.context, {
      q: s.q,
      ks: s.ks,
      namespace: s.namespace,
      ...(s.cluster ? { cluster: s.cluster } : {}),
    });
    if (!interactive) feedInOrder(process.stdin, server, input as PassThrough);
    hold(once(server, 'exit'));
    return 0;
  },
};
