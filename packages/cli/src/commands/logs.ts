import { type Command, UsageError } from '../command.js';
import { splitRef } from '../kindNames.js';

const UNITS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `5m`, `1h`, `2d`, `1h30m` in seconds. */
export function sinceSeconds(text: string): number {
  const parts = [...text.matchAll(/(\d+)([smhd])/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`--since "${text}" is not a duration; write it like 90s, 5m, 1h or 1h30m`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] ?? 's'] ?? 1), 0);
}

export const logs: Command = {
  name: 'logs',
  summary: "print a pod's log",
  usage: 'logs POD [-n NS] [-c CONTAINER] [--since 1h] [--tail N] [--previous] [--timestamps]',
  options: {
    container: { type: 'string', short: 'c' },
    since: { type: 'string' },
    tail: { type: 'string' },
    previous: { type: 'boolean', short: 'p' },
    timestamps: { type: 'boolean' },
  },
  async run({ positionals, values, session, io }) {
    const [first] = positionals;
    if (first === undefined) throw new UsageError('name the pod: logs POD');
    const { kind, name } = first.includes('/') ? splitRef(first, undefined) : { kind: 'pods', name: first };
    if (kind !== 'pods') throw new UsageError(`logs reads pods; got ${kind}`);
    const tail = values.tail === undefined ? undefined : Number(values.tail);
    if (tail !== undefined && (!Number.isInteger(tail) || tail < 0))
      throw new UsageError(`--tail must be a whole number, got ${values.tail}`);
    const s = await session();
    const pod = await s.q.pods().inNamespace(s.namespace).named(name).first();
    io.out(
      await pod.logs({
        ...(typeof values.container === 'string' ? { container: values.container } : {}),
        ...(typeof values.since === 'string' ? { sinceSeconds: sinceSeconds(values.since) } : {}),
        ...(tail !== undefined ? { tailLines: tail } : {}),
        previous: values.previous === true,
        timestamps: values.timestamps === true,
      }),
    );
    return 0;
  },
};
