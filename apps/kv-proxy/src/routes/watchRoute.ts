import type { FastifyInstance } from 'fastify';
import type { BucketPool } from '../bucketPool.js';
import { AGE_HEADER, STALE_HEADER } from '../freshness.js';
import type { ProxyMetrics } from '../metrics.js';
import { NOSNIFF } from '../securityHeaders.js';
import type { SseLimits } from '../sseLimits.js';

const HEARTBEAT_MS = 15_000;

/**
 * Server-Sent Events of a bucket's changes: `event: set` / `event: delete` with
 * `{ key, value?, version }` (bytes as base64 with `"encoding": "base64"`). A `ready` event says the
 * subscription is live; a comment line every 15 s keeps proxies from closing the stream. Streams are
 * limited in total, per caller and per bucket and prefix ({@link SseLimits}); a slot is held from the
 * request on, and given back the moment the client leaves, even while the bucket is still syncing.
 */
export function watchRoute(
  app: FastifyInstance,
  pool: BucketPool,
  metrics: ProxyMetrics,
  limits: SseLimits,
): void {
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
      const prefix = request.query.prefix ?? '';
      // HEAD answers the stream's headers only: it must not subscribe or hold a connection.
      if (request.method === 'HEAD') {
        await pool.use(namespace, bucket, (kv) => kv.ready());
        return reply.code(200).header('content-type', 'text/event-stream; charset=utf-8').send();
      }
      const caller = request.caller ?? `ip:${request.ip}`;
      const releaseSlot = limits.take(caller, `${namespace}/${bucket}?${prefix}`);
      let lease: ReturnType<BucketPool['lease']>;
      try {
        lease = pool.lease(namespace, bucket);
      } catch (error) {
        releaseSlot();
        throw error;
      }
      const raw = reply.raw;
      const left = new AbortController();
      const onLeft = (): void => {
        left.abort(new Error('the client left'));
        releaseSlot();
        lease.release();
      };
      request.raw.socket?.once('close', onLeft);
      try {
        await lease.bucket.ready({ signal: left.signal });
      } catch (error) {
        request.raw.socket?.off('close', onLeft);
        onLeft();
        if (left.signal.aborted || raw.destroyed) {
          reply.hijack();
          raw.destroy();
          return;
        }
        throw error;
      }
      // A client that left while the bucket was syncing gets no subscription and no heartbeat.
      if (left.signal.aborted || raw.destroyed || raw.writableEnded || !request.raw.socket?.writable) {
        request.raw.socket?.off('close', onLeft);
        onLeft();
        reply.hijack();
        raw.destroy();
        return;
      }
      const send = (event: string, data: unknown): void => {
        raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      const stop = lease.bucket.watch(prefix, (change) => {
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
        request.raw.socket?.off('close', onLeft);
        onLeft();
        metrics.sseStreams.dec();
      };
      const end = (): void => {
        close();
        raw.end();
      };
      streams.add(end);
      reply.hijack();
      raw.on('close', close);
      const { stale, ageMs } = lease.bucket.freshness();
      raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
        ...NOSNIFF,
        [STALE_HEADER]: String(stale),
        ...(ageMs === undefined ? {} : { [AGE_HEADER]: String(Math.round(ageMs)) }),
      });
      send('ready', { namespace, bucket, prefix });
    },
  );
}
