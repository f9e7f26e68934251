/**
 * A log-scale latency histogram: buckets 5 % wide from 10 microseconds to about an hour, so a
 * percentile read back is within 5 % of the truth at any scale, in a fixed 400-slot array.
 */
const MIN_MS = 0.01;
const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);
export const HISTOGRAM_BUCKETS = 400;

export function bucketOf(ms: number): number {
  if (!(ms > MIN_MS)) return 0;
  return Math.min(HISTOGRAM_BUCKETS - 1, Math.floor(Math.log(ms / MIN_MS) / LOG_GROWTH) + 1);
}

/** The upper bound of a bucket, in ms: what a percentile in that bucket is reported as. */
export function upperBoundOf(bucket: number): number {
  return MIN_MS * GROWTH ** bucket;
}

/** The `q` quantile (0-1) of the counts, or undefined when they are all zero. */
export function quantileOf(counts: Uint32Array, total: number, q: number): number | undefined {
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i]!;
    if (seen >= rank) return upperBoundOf(i);
  }
  return upperBoundOf(counts.length - 1);
}
