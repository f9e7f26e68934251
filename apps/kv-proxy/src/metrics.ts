import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BucketPool } from './bucketPool.js';

/** The proxy's Prometheus metrics, in a registry of its own (no global state between instances). */
export class ProxyMetrics {
  readonly registry = new Registry();
  readonly #requests = new Counter({
    name: 'kv_proxy_http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly #duration = new Histogram({
    name: 'kv_proxy_http_request_duration_seconds',
    help: 'Time to answer an HTTP request.',
    labelNames: ['method', 'route'] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [this.registry],
  });
  readonly #refused = new Counter({
    name: 'kv_proxy_refused_total',
    help: 'Requests refused before reaching a bucket (auth, access, rate limit), by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  /** Open SSE watch streams, each holding a bucket subscription and a heartbeat timer. */
  readonly sseStreams = new Gauge({
    name: 'kv_proxy_sse_streams',
    help: 'Open SSE watch streams.',
    registers: [this.registry],
  });

  constructor(pool: BucketPool) {
    const synced = new Gauge({
      name: 'kv_proxy_bucket_synced',
      help: '1 when the watch cache behind a bucket is synced and fresh, else 0.',
      labelNames: ['namespace', 'bucket'] as const,
      registers: [this.registry],
      collect() {
        synced.reset();
        for (const s of pool.status())
          synced.set({ namespace: s.namespace, bucket: s.bucket }, s.synced && !s.stale ? 1 : 0);
      },
    });
    const keys = new Gauge({
      name: 'kv_proxy_bucket_keys',
      help: 'Keys held by each open bucket.',
      labelNames: ['namespace', 'bucket'] as const,
      registers: [this.registry],
      collect() {
        keys.reset();
        for (const s of pool.status()) keys.set({ namespace: s.namespace, bucket: s.bucket }, s.keys);
      },
    });
  }

  refused(reason: string): void {
    this.#refused.inc({ reason });
  }

  /** Counts and times every answered request, by route pattern (never by key). */
  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      this.#requests.inc({ method: request.method, route, status: String(reply.statusCode) });
      this.#duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });
  }
}
