import { formatScopes, type KeyInfo, KeyStore, parseScopes } from '@kubesmart/access';
import { formatTable } from '@kubesmart/core/building-blocks';
import { type Command, UsageError } from '../command.js';

const DEFAULT_SECRETS = { keys: 'cluster-hub-api-keys', agents: 'cluster-hub-agents' } as const;
const PREFIXES = { keys: 'ksh', agents: 'ksa' } as const;
type Group = keyof typeof DEFAULT_SECRETS;

/** `30d`, `12h`, `90m` from now, or an ISO date. */
export function parseExpiry(text: string, now = Date.now()): number {
  const relative = /^(\d+)([dhm])$/.exec(text);
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as 'd' | 'h' | 'm'];
    return now + Number(relative[1]) * unit;
  }
  const at = Date.parse(text);
  if (Number.isNaN(at)) throw new UsageError(`--expires "${text}": use 30d, 12h, 90m or an ISO date`);
  return at;
}

function state(info: KeyInfo, now: number): string {
  if (info.revokedAt) return 'revoked';
  if (info.expiresAt && Date.parse(info.expiresAt) <= now) return 'expired';
  return 'active';
}

function render(group: Group, infos: KeyInfo[], json: boolean): string {
  const now = Date.now();
  if (json)
    return `${JSON.stringify(
      infos.map((i) => ({ ...i, state: state(i, now) })),
      null,
      2,
    )}\n`;
  const columns =
    group === 'keys'
      ? ['ID', 'NAME', 'SCOPES', 'CREATED', 'EXPIRES', 'STATE']
      : ['ID', 'AGENT', 'CLUSTER', 'CREATED', 'EXPIRES', 'STATE'];
  const rows = infos.map((i) => [
    i.id,
    i.name,
    group === 'keys' ? formatScopes(i.scopes) : (i.labels?.cluster ?? '*'),
    i.createdAt,
    i.expiresAt ?? 'never',
    state(i, now),
  ]);
  return `${formatTable(columns, rows)}\n`;
}

/**
 * `kubesmart hub`: the cluster hub's API keys and agent credentials, in the hub's Secrets. A new key
 * or credential is printed once (stdout); only its SHA-256 digest is stored.
 */
export const hub: Command = {
  name: 'hub',
  summary: "manage the cluster hub's API keys and agent credentials (kept as digests in Secrets)",
  usage: [
    'hub keys create NAME [--scope "clusters=a,b;agents=x;operations=namespaces,pods"] [--expires 30d] [-n NS] [--secret S]',
    '  hub keys list [-o json] [-n NS] [--secret S]',
    '  hub keys revoke ID [-n NS] [--secret S]',
    '  hub agents register AGENT_ID --cluster CLUSTER_ID [--expires 365d] [-n NS] [--secret S]',
    '  hub agents list [-o json] [-n NS] [--secret S]',
    '  hub agents revoke ID [-n NS] [--secret S]',
  ].join('\n'),
  options: {
    scope: { type: 'string' },
    expires: { type: 'string' },
    cluster: { type: 'string' },
    secret: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run({ positionals, values, session, io }) {
    const [group, verb, subject] = positionals;
    if (group !== 'keys' && group !== 'agents')
      throw new UsageError(`hub takes keys or agents; got ${group ?? 'nothing'}`);
    const verbs = group === 'keys' ? ['create', 'list', 'revoke'] : ['register', 'list', 'revoke'];
    if (!verbs.includes(verb ?? ''))
      throw new UsageError(`hub ${group} takes ${verbs.join(', ')}; got ${verb ?? 'nothing'}`);
    if (verb !== 'list' && !subject) {
      throw new UsageError(
        verb === 'revoke'
          ? `name the id to revoke: hub ${group} revoke ID`
          : `name the ${group === 'keys' ? 'key' : 'agent'}`,
      );
    }
    if (values.output !== undefined && values.output !== 'json') throw new UsageError('-o takes json');
    let scopes: ReturnType<typeof parseScopes> | undefined;
    try {
      scopes = typeof values.scope === 'string' ? parseScopes(values.scope) : undefined;
    } catch (error) {
      throw new UsageError(`--scope: ${(error as Error).message}`);
    }
    const expiresAt = typeof values.expires === 'string' ? parseExpiry(values.expires) : undefined;
    const cluster = typeof values.cluster === 'string' ? values.cluster : undefined;
    if (verb === 'register' && !cluster)
      throw new UsageError('hub agents register AGENT_ID --cluster CLUSTER_ID');
    const s = await session();
    const store = new KeyStore({
      kubeSmart: s.ks,
      secretName: typeof values.secret === 'string' ? values.secret : DEFAULT_SECRETS[group],
      namespace: s.namespace,
      prefix: PREFIXES[group],
    });
    try {
      if (verb === 'list') {
        io.out(render(group, await store.list(), values.output === 'json'));
        return 0;
      }
      if (verb === 'revoke') {
        const revoked = await store.revoke(subject!);
        if (!revoked) {
          io.err(
            `no ${group === 'keys' ? 'API key' : 'agent credential'} has id "${subject}" in Secret ${store.secret}\n`,
          );
          return 1;
        }
        io.out(`${revoked.id} (${revoked.name}) revoked at ${revoked.revokedAt}\n`);
        return 0;
      }
      const { key, info } = await store.create({
        name: subject!,
        ...(scopes ? { scopes } : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
        ...(cluster ? { labels: { cluster } } : {}),
      });
      io.out(`${key}\n`);
      io.err(
        `${group === 'keys' ? 'API key' : `agent credential for "${info.name}" in cluster "${cluster}"`} ${info.id} created in Secret ${store.secret}; it is shown only this once.\n`,
      );
      return 0;
    } catch (error) {
      if (error instanceof TypeError) throw new UsageError(error.message);
      throw error;
    } finally {
      store.close();
    }
  },
};
