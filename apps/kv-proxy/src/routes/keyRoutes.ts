import type { FastifyInstance, FastifyReply } from 'fastify';
import type { BucketPool, ProxyBucket } from '../bucketPool.js';
import { sendFreshness } from '../freshness.js';
import { HttpError } from '../httpErrors.js';

type KeyParams = { namespace: string; bucket: string; key: string };

const params = {
  type: 'object',
  properties: { namespace: { type: 'string' }, bucket: { type: 'string' }, key: { type: 'string' } },
  required: ['namespace', 'bucket', 'key'],
} as const;

const etag = (version: string): string => `"${version}"`;

/** The version an `If-Match` header asks for; undefined without one. `*` means "any, but it must exist". */
function ifMatch(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (trimmed === '*') return '*';
  const match = /^(?:W\/)?"([^"]*)"$/.exec(trimmed);
  if (!match)
    throw new HttpError(
      400,
      'BAD_IF_MATCH',
      `If-Match must be an ETag such as "12345" (quoted), got ${trimmed}.`,
    );
  return match[1];
}

/** Turns a failed `ifVersion` into 412, which is what `If-Match` callers expect. */
async function guarded<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: string }).code === 'KV_CONFLICT') {
      throw new HttpError(
        412,
        'PRECONDITION_FAILED',
        `${(error as Error).message} (If-Match did not match: GET the key for its current ETag.)`,
      );
    }
    throw error;
  }
}

async function resolveIfMatch(
  bucket: ProxyBucket,
  key: string,
  header: string | undefined,
): Promise<string | undefined> {
  if (header !== '*') return header;
  const current = await bucket.get(key, { consistent: true });
  if (!current)
    throw new HttpError(412, 'PRECONDITION_FAILED', `Key "${key}" does not exist, so If-Match: * fails.`);
  return current.version;
}

function sendValue(reply: FastifyReply, value: string | Buffer, version: string): FastifyReply {
  reply.header('ETag', etag(version)).header('Cache-Control', 'no-cache');
  return typeof value === 'string'
    ? reply.type('text/plain; charset=utf-8').send(value)
    : reply.type('application/octet-stream').send(value);
}

/**
 * One key per URL, with the object's resourceVersion as `ETag` and compare-and-set by `If-Match`
 * (412 on a mismatch). Bodies are taken as they come: `application/octet-stream` as bytes (stored in
 * `binaryData`), anything else as UTF-8 text.
 */
export async function keyRoutes(app: FastifyInstance, pool: BucketPool): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.get<{ Params: KeyParams; Querystring: { consistent?: string } }>(
    '/kv/:namespace/:bucket/:key',
    {
      config: { access: { verb: 'get', resource: 'configmaps' } },
      schema: {
        tags: ['keys'],
        summary: 'Read one key; ETag is its version. ?consistent=true reads from the API server',
        params,
        querystring: {
          type: 'object',
          properties: { consistent: { type: 'string', enum: ['true', 'false'] } },
        },
      },
    },
    async (request, reply) => {
      const { namespace, bucket, key } = request.params;
      const consistent = request.query.consistent === 'true';
      return pool.use(namespace, bucket, async (kv) => {
        const entry = await kv.get(key, { consistent });
        sendFreshness(reply, kv, consistent);
        if (!entry)
          throw new HttpError(
            404,
            'KEY_NOT_FOUND',
            `Key "${key}" does not exist in bucket "${bucket}" of namespace "${namespace}".`,
          );
        return sendValue(reply, entry.value, entry.version);
      });
    },
  );

  app.put<{ Params: KeyParams; Body: Buffer | undefined }>(
    '/kv/:namespace/:bucket/:key',
    {
      config: { access: { verb: 'update', resource: 'configmaps' } },
      schema: {
        tags: ['keys'],
        summary:
          'Write one key (body = value); If-Match: "<etag>" writes only at that version (412 otherwise)',
        params,
      },
    },
    async (request, reply) => {
      const { namespace, bucket, key } = request.params;
      const raw = request.body ?? Buffer.alloc(0);
      const binary = (request.headers['content-type'] ?? '').startsWith('application/octet-stream');
      const value = binary ? raw : raw.toString('utf8');
      const asked = ifMatch(request.headers['if-match']);
      const version = await pool.use(namespace, bucket, async (kv) => {
        const ifVersion = await resolveIfMatch(kv, key, asked);
        return guarded(() => kv.set(key, value, ifVersion === undefined ? {} : { ifVersion }));
      });
      return reply.header('ETag', etag(version)).send({ key, version });
    },
  );

  app.delete<{ Params: KeyParams }>(
    '/kv/:namespace/:bucket/:key',
    {
      config: { access: { verb: 'update', resource: 'configmaps' } },
      schema: { tags: ['keys'], summary: 'Delete one key; If-Match as for PUT; 404 when absent', params },
    },
    async (request, reply) => {
      const { namespace, bucket, key } = request.params;
      const asked = ifMatch(request.headers['if-match']);
      const existed = await pool.use(namespace, bucket, async (kv) => {
        const ifVersion = await resolveIfMatch(kv, key, asked);
        return guarded(() => kv.delete(key, ifVersion === undefined ? {} : { ifVersion }));
      });
      if (!existed)
        throw new HttpError(404, 'KEY_NOT_FOUND', `Key "${key}" does not exist in bucket "${bucket}".`);
      return reply.code(204).send();
    },
  );
}
