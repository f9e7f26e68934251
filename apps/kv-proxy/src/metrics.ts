import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BucketPool } from './bucketPool.js';
import type { SseLimits } from './sseLimits.js';

/** The label value every bucket past the cap is summed under. */
export const OTHER_BUCKETS = '_other';

interface BucketSeries {
  namespace: string;
  bucket: string;
  synced: boolean;
  keys: number;
}

/**
 * The per-bucket series, bounded: the first `max` open buckets (allow-listed ones first) keep their own
 * labels, the rest are folded into one `bucket="_other"` series per namespace (synced only when all
 * are, keys summed), so arbitrary bucket names cannot grow the scrape without bound.
 */
function boundedSeries(pool: BucketPool, max: number): BucketSeries[] {
  const series: BucketSeries[] = [];
  const others = new Map<string, BucketSeries>();
  for (const s of pool.status()) {
    const synced = s.synced && !s.stale;
    if (series.length < max) {
      series.push({ namespace: s.namespace, bucket: s.bucket, synced, keys: s.keys });
      continue;
    }
    const other = others.get(s.namespace) ?? {
      namespace: s.namespace,
      bucket: OTHER_BUCKETS,
      synced,
      keys: 0,
    };
    other.synced &&= synced;
    other.keys += s.keys;
    others.set(s.namespace, other);
  }
  return [...series, ...others.values()];
}

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

  constructor(pool: BucketPool, limits: SseLimits, maxBucketSeries: number) {
    const slots = new Gauge({
      name: 'kv_proxy_sse_slots',
      help: 'SSE watch requests holding a slot (SSE_MAX_STREAMS), open or waiting for their bucket to sync.',
      registers: [this.registry],
      collect() {
        slots.set(limits.open);
      },
    });
    const synced = new Gauge({
      name: 'kv_proxy_bucket_synced',
      help: `1 when the watch cache behind a bucket is synced and fresh, else 0 (buckets past ${maxBucketSeries} as bucket="${OTHER_BUCKETS}").`,
      labelNames: ['namespace', 'bucket'] as const,
      registers: [this.registry],
      collect() {
        synced.reset();
        for (const s of boundedSeries(pool, maxBucketSeries))
          synced.set({ namespace: s.namespace, bucket: s.bucket }, s.synced ? 1 : 0);
      },
    });
    const keys = new Gauge({
      name: 'kv_proxy_bucket_keys',
      help: `Keys held by each open bucket (buckets past ${maxBucketSeries} summed as bucket="${OTHER_BUCKETS}").`,
      labelNames: ['namespace', 'bucket'] as const,
      registers: [this.registry],
      collect() {
        keys.reset();
        for (const s of boundedSeries(pool, maxBucketSeries))
          keys.set({ namespace: s.namespace, bucket: s.bucket }, s.keys);
      },
    });
    const open = new Gauge({
      name: 'kv_proxy_open_buckets',
      help: 'Buckets open now (each holding a share of a watch cache).',
      registers: [this.registry],
      collect() {
        open.set(pool.counts().open);
      },
    });
    const evicted = new Gauge({
      name: 'kv_proxy_buckets_closed_for_room_total',
      help: 'Idle buckets closed to open others (MAX_OPEN_BUCKETS).',
      registers: [this.registry],
      collect() {
        evicted.set(pool.counts().evicted);
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
