import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApp } from '../src/app.js';

let app: Awaited<ReturnType<typeof startApp>>;

beforeAll(async () => {
  app = await startApp({ embedded: true });
});

afterAll(() => app?.close());

it('GET /health answers { endpoint, metrics } like kubeSmartService', async () => {
  const res = await fetch(`${app.url}/health`, { headers: { connection: 'close' } });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { endpoint: string; metrics: Record<string, unknown> };
  expect(body.endpoint).toMatch(/^http:\/\/127\.\d+\.\d+\.\d+:8080$/);
  expect(body.metrics).toMatchObject({
    pods: 3,
    failoverCount: 0,
    activePod: expect.stringMatching(/^my-backend-/),
  });
  expect(Object.keys(body.metrics).sort()).toEqual(['activePod', 'failoverCount', 'latencyMs', 'pods']);
});
