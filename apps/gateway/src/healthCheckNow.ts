import type { SmartService } from '@kubesmart/core';
import { request } from 'undici';
import type { RouteConfig } from './config/gatewayConfig.js';

/** The answer of one pod to an on-demand health check (the seed's healthy / unhealthy / down). */
export interface HealthCheckResult {
  readonly pod: string;
  readonly url: string;
  readonly status: 'healthy' | 'unhealthy' | 'down';
  readonly httpStatus: number | undefined;
  readonly latencyMs: number;
  readonly error: string | undefined;
}

const REFUSED = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET']);

async function probe(url: string, timeoutMs: number): Promise<Omit<HealthCheckResult, 'pod' | 'url'>> {
  const start = performance.now();
  try {
    const res = await request(url, {
      method: 'GET',
      signal: AbortSignal.timeout(timeoutMs),
      headers: { 'user-agent': 'kubesmart-gateway/health-check' },
    });
    await res.body.dump();
    const ok = res.statusCode >= 200 && res.statusCode < 400;
    return {
      status: ok ? 'healthy' : 'unhealthy',
      httpStatus: res.statusCode,
      latencyMs: performance.now() - start,
      error: ok ? undefined : `HTTP ${res.statusCode}`,
    };
  } catch (error) {
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    const timedOut = (error as Error).name === 'TimeoutError' || (error as Error).name === 'AbortError';
    return {
      status: code !== undefined && REFUSED.has(code) ? 'down' : 'unhealthy',
      httpStatus: undefined,
      latencyMs: performance.now() - start,
      error: timedOut ? `no answer within ${timeoutMs} ms` : ((error as Error).message ?? String(error)),
    };
  }
}

/**
 * Probes every endpoint of a route now, on its health check path (`POST /health-check`). This is the
 * gateway's own check; the mesh's periodic checks go on as configured.
 */
export async function checkRouteNow(route: RouteConfig, service: SmartService): Promise<HealthCheckResult[]> {
  const path = route.healthCheck === false ? `${route.path}/health` : route.healthCheck.path;
  const timeoutMs = route.healthCheck === false ? 1000 : route.healthCheck.timeoutMs;
  return Promise.all(
    service.endpoints().map(async (e) => {
      const url = `${e.endpoint.url}${path}`;
      return { pod: e.endpoint.pod ?? e.endpoint.id, url, ...(await probe(url, timeoutMs)) };
    }),
  );
}
