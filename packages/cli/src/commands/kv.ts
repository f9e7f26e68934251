import type { KvBucket } from '@kubesmart/core';
import { type Command, UsageError } from '../command.js';

const VERBS = ['get', 'set', 'delete', 'list'] as const;
type Verb = (typeof VERBS)[number];

function bucketOf(
  ks: { kv<T>(name: string, options?: object): KvBucket<T> },
  name: string | undefined,
  namespace: string,
  secret: boolean,
): KvBucket<string> {
  if (!name) throw new UsageError('name the bucket: kv get|set|delete|list BUCKET ...');
  return ks.kv<string>(name, { namespace, backend: secret ? 'secret' : 'configmap', codec: 'string' });
}

function need(value: string | undefined, what: string): string {
  if (value === undefined) throw new UsageError(`name the ${what}`);
  return value;
}

/**
 * `kubesmart kv`: the KV engine from a shell. Reads go to the API server (a one-shot command has no
 * warm cache to wait for, and fails as fast as `get` when the server is down). Writes are compare-and-set: `--if-version` makes them
 * conditional on the version `get` printed, and a conflict exits 1 with the current version.
 */
export const kv: Command = {
  name: 'kv',
  summary: 'read and write a key/value bucket stored in ConfigMaps (or a Secret with --secret)',
  usage: [
    'kv get BUCKET KEY [-n NS] [--secret]',
    '  kv set BUCKET KEY VALUE [-n NS] [--secret] [--if-version V]',
    '  kv delete BUCKET KEY [-n NS] [--secret] [--if-version V]',
    '  kv list BUCKET [-n NS] [--secret] [--prefix P] [-o json]',
  ].join('\n'),
  options: {
    secret: { type: 'boolean' },
    'if-version': { type: 'string' },
    prefix: { type: 'string' },
    output: { type: 'string', short: 'o' },
  },
  async run({ positionals, values, session, io }) {
    const [verb, bucketName, key, value] = positionals;
    if (!VERBS.includes(verb as Verb))
      throw new UsageError(`kv takes ${VERBS.join(', ')}; got ${verb ?? 'nothing'}`);
    const ifVersion = typeof values['if-version'] === 'string' ? { ifVersion: values['if-version'] } : {};
    const s = await session();
    const bucket = bucketOf(s.ks, bucketName, s.namespace, values.secret === true);
    switch (verb as Verb) {
      case 'get': {
        const entry = await bucket.get(need(key, 'key'), { consistent: true });
        if (!entry) {
          io.err(`key "${key}" is not in bucket "${bucketName}" (namespace ${s.namespace})\n`);
          return 1;
        }
        io.out(`${entry.value}\n`);
        io.err(`version ${entry.version}${entry.stale ? ' (stale: the watch is reconnecting)' : ''}\n`);
        return 0;
      }
      case 'set': {
        const version = await bucket.set(need(key, 'key'), need(value, 'value'), ifVersion);
        io.out(`${bucketName}/${key} set, version ${version}\n`);
        return 0;
      }
      case 'delete': {
        const deleted = await bucket.delete(need(key, 'key'), ifVersion);
        io.out(deleted ? `${bucketName}/${key} deleted\n` : `${bucketName}/${key} was not there\n`);
        return 0;
      }
      case 'list': {
        const entries = await bucket.entries(
          typeof values.prefix === 'string'
            ? { prefix: values.prefix, consistent: true }
            : { consistent: true },
        );
        if (values.output === 'json') {
          io.out(`${JSON.stringify(Object.fromEntries(entries.map((e) => [e.key, e.value])), null, 2)}\n`);
        } else {
          for (const entry of entries) io.out(`${entry.key}=${entry.value}\n`);
        }
        return 0;
      }
    }
  },
};
