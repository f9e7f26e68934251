import type { FastifyInstance } from 'fastify';
import type { AllowList } from '../allowList.js';
import type { BucketPool, ProxyBucket } from '../bucketPool.js';
import { type ServiceLister, servicesByName } from '../discover.js';
import { sendFreshness } from '../freshness.js';
import { HttpError } from '../httpErrors.js';

type BucketParams = { namespace: string; configmap: string };

/** The text entries of a bucket as one object, as the seed answered (`cm.data`). */
async function dataOf(bucket: ProxyBucket): Promise<Record<string, string>> {
  // Built with defineProperty-like semantics: a key named `__proto__` stays an own property.
  return Object.fromEntries(
    (await bucket.entries()).flatMap(({ key, value }) => (typeof value === 'string' ? [[key, value]] : [])),
  );
}

/**
 * JSON bodies of the seed routes, parsed as plain data: every name, `__proto__` and `constructor`
 * included (valid ConfigMap keys), is an own property, read only through `Object.entries`.
 */
function parseJsonBody(
  _request: unknown,
  body: string,
  done: (error: Error | null, value?: unknown) => void,
): void {
  const fail = (code: string, message: string): void =>
    done(Object.assign(new Error(message), { statusCode: 400, code }));
  if (body.trim() === '') {
    fail('FST_ERR_CTP_EMPTY_JSON_BODY', 'the body is empty');
    return;
  }
  try {
    done(null, JSON.parse(body));
  } catch (error) {
    fail('FST_ERR_CTP_INVALID_JSON_BODY', (error as Error).message);
  }
}

/** A POST/PUT body: a JSON object of string values, else 400 before anything is written. */
function objectOfStrings(body: unknown): Record<string, string> {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    const got = body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`;
    throw new HttpError(
      400,
      'BODY_NOT_OBJECT',
      `The body must be a JSON object of keys to string values, not ${got}.`,
    );
  }
  const bad = Object.entries(body).filter(([, value]) => typeof value !== 'string');
  if (bad.length) {
    throw new HttpError(
      400,
      'VALUE_NOT_STRING',
      `ConfigMap values are strings: ${bad.map(([k, v]) => `"${k}" is ${v === null ? 'null' : typeof v}`).join(', ')}. Quote them.`,
    );
  }
  return body as Record<string, string>;
}

const params = {
  type: 'object',
  properties: {
    namespace: { type: 'string' },
    configmap: { type: 'string', description: 'ConfigMap (bucket) name' },
  },
  required: ['namespace', 'configmap'],
} as const;

/**
 * The k8skv seed's API, compatible: the whole ConfigMap as a JSON object. Unlike the seed, GET never
 * creates the ConfigMap (it answers `{}`), and POST/PUT merge with compare-and-set, so concurrent
 * merges never lose each other's keys.
 */
export function seedRoutes(
  app: FastifyInstance,
  pool: BucketPool,
  allow: AllowList,
  services: ServiceLister,
): void {
  // Register in an encapsulated scope: this parser applies to these routes only.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, parseJsonBody);
  app.get<{ Params: BucketParams }>(
    '/kv/:namespace/:configmap',
    {
      config: { access: { verb: 'get', resource: 'configmaps' } },
      schema: {
        tags: ['seed'],
        summary: 'Every text entry of a bucket, as a JSON object ({} when absent)',
        params,
      },
    },
    async (request, reply) =>
      pool.use(request.params.namespace, request.params.configmap, async (bucket) => {
        const data = await dataOf(bucket);
        sendFreshness(reply, bucket, false);
        return data;
      }),
  );
  for (const method of ['POST', 'PUT'] as const) {
    app.route<{ Params: BucketParams; Body: unknown }>({
      method,
      url: '/kv/:namespace/:configmap',
      config: { access: { verb: 'update', resource: 'configmaps' } },
      schema: {
        tags: ['seed'],
        summary: 'Merge a JSON object of string values into the bucket; answers the merged object',
        params,
        body: { type: 'object', additionalProperties: { type: 'string' } },
      },
      // The schema documents; objectOfStrings checks, with messages that say what to fix.
      validatorCompiler: () => () => true,
      handler: async (request) => {
        const values = objectOfStrings(request.body);
        return pool.use(request.params.namespace, request.params.configmap, async (bucket) => {
          await bucket.setMany(values);
          return dataOf(bucket);
        });
      },
    });
  }
  app.delete<{ Params: BucketParams; Querystring: { key?: string } }>(
    '/kv/:namespace/:configmap',
    {
      config: { access: { verb: 'update', resource: 'configmaps' } },
      schema: {
        tags: ['seed'],
        summary: 'Delete one key (?key=); 404 with success:false when it is absent',
        params,
        querystring: { type: 'object', properties: { key: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const key = request.query.key;
      if (!key)
        throw new HttpError(
          400,
          'KEY_REQUIRED',
          'Name the key to delete: DELETE /kv/<namespace>/<configmap>?key=<key>.',
        );
      const existed = await pool.use(request.params.namespace, request.params.configmap, (bucket) =>
        bucket.delete(key),
      );
      return existed ? { success: true } : reply.code(404).send({ success: false });
    },
  );
  app.get<{ Params: { namespace: string } }>(
    '/discover/:namespace',
    {
      config: { access: { verb: 'list', resource: 'services' } },
      schema: {
        tags: ['seed'],
        summary: 'Service name -> cluster IP in a namespace',
        params: { type: 'object', properties: { namespace: { type: 'string' } }, required: ['namespace'] },
      },
    },
    async (request) => {
      allow.check(request.params.namespace);
      return servicesByName(services, request.params.namespace);
    },
  );
}
