import type { FastifyInstance } from 'fastify';
import type { BucketPool } from '../bucketPool.js';
import type { ProxyMetrics } from '../metrics.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of a bucket's changes: `event: set` / `event: delete` with
 * `{ key, value?, version }` (bytes as base64 with `"encoding": "base64"`). A `ready` event says the
 * subscription is live; a comment line every 15 s keeps proxies from closing the stream.
 */
export function watchRoute(app: FastifyInstance, pool: BucketPool, metrics: ProxyMetrics): void {
  const streams = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of [...streams]) end();
  });
  app.get<{ Params: { namespace: string; bucket: string }; Querystring: { prefix?: string } }>(
    '/watch/:namespace/:bucket',
    {
      config: { access: { verb: 'watch', resource: 'configmaps' } },
      schema: {
        tags: ['keys'],
        summary: 'Server-Sent Events of the changes of a bucket, or of the keys under ?prefix=',
        params: {
          type: 'object',
          properties: { namespace: { type: 'string' }, bucket: { type: 'string' } },
          required: ['namespace', 'bucket'],
        },
        querystring: { type: 'object', properties: { prefix: { type: 'string' } } },
      },
    },
    async (request, reply) => {
      const { namespace, bucket } = request.params;
      const kv = pool.get(namespace, bucket);
      // HEAD answers the stream's headers only: it must not subscribe or hold a connection.
      if (request.method === 'HEAD') {
        await kv.ready();
        return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').send();
      }
      await kv.ready();
      const raw = reply.raw;
      // A client that left while the bucket was syncing gets no subscription and no heartbeat.
      if (request.raw.destroyed || raw.destroyed || raw.writableEnded || !request.raw.socket?.writable) {
        reply.hijack();
        raw.destroy();
        return;
      }
      const send = (event: string, data: unknown): void => {
        raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const stop = kv.watch(request.query.prefix ?? '', (change) => {
        const value = change.value;
        send(change.type, {
          key: change.key,
          version: change.version,
          ...(value === undefined
            ? {}
            : Buffer.isBuffer(value)
              ? { value: value.toString('base64'), encoding: 'base64' }
              : { value }),
        });
      });
      const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      metrics.sseStreams.inc();
      let closed = false;
      const close = (): void => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        stop();
        streams.delete(end);
        metrics.sseStreams.dec();
      };
      const end = (): void => {
        close();
        raw.end();
      };
      streams.add(end);
      reply.hijack();
      raw.on('close', close);
      raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      send('ready', { namespace, bucket, prefix: request.query.prefix ?? '' });
    },
  );
}
