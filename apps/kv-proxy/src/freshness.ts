import type { FastifyReply } from 'fastify';
import type { ProxyBucket } from './bucketPool.js';

/** Says whether a read may lag the cluster: `true` while the watch reconnects or has been silent too long. */
export const STALE_HEADER = 'X-KubeSmart-Stale';
/** Milliseconds since the bucket's watch cache last heard from the API server (0 for a consistent read). */
export const AGE_HEADER = 'X-KubeSmart-Age-Ms';

/** Puts a read's freshness on the answer: what the cache knows, or fresh for a read from the API server. */
export function sendFreshness(reply: FastifyReply, bucket: ProxyBucket, consistent: boolean): void {
  const { stale, ageMs } = consistent ? { stale: false, ageMs: 0 } : bucket.freshness();
  reply.header(STALE_HEADER, String(stale));
  if (ageMs !== undefined) reply.header(AGE_HEADER, String(Math.max(0, Math.round(ageMs))));
}
