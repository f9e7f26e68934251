import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, SHOP_CONFIG, startHarness, waitFor } from './harness.js';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ config: SHOP_CONFIG, shopReplicas: 3 });
});
afterAll(async () => {
  await h?.close();
});

const get = (path: string, init?: RequestInit): Promise<Response> => fetch(`${h.url}${path}`, init);

describe('path routing', () => {
  it('sends /catalog/*, /cart/* and /order/* to their Services, naming the pod that answered', async () => {
    for (const [path, app] of [
      ['/catalog/products', 'catalog'],
      ['/cart/ada', 'cart'],
      ['/order/user/ada', 'order'],
      ['/catalog/health', 'catalog'],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      const replica = res.headers.get('x-replica-id');
      expect(h.readyPods(app), path).toContain(replica);
      expect(res.headers.get('x-pod-name')).toBe(replica);
      expect(res.headers.get('x-response-time')).toMatch(/^\d+\.\d{2}ms$/);
      expect(res.headers.get('x-mesh-service')).toBe(app);
    }
  });

  it('spreads requests over every pod of a Service', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add((await get('/catalog/products')).headers.get('x-replica-id')!);
    expect([...seen].sort()).toEqual(h.readyPods('catalog'));
  });

  it('forwards methods, queries and bodies; order reads the cart through the core', async () => {
    const add = await get('/cart/lin/add?product_id=4&quantity=2', { method: 'POST' });
    expect(add.status).toBe(200);
    const json = await get('/cart/lin/add', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: 7, quantity: 1 }),
    });
    expect(await json.json()).toMatchObject({ count: 3 });
    const order = await get('/order/create?user_id=lin', { method: 'POST' });
    expect(order.status).toBe(201);
    const body = (await order.json()) as { id: string; totalCents: number };
    expect(body.totalCents).toBe(2 * 24999 + 899);
    expect((await get(`/order/${body.id}`)).status).toBe(200);
    expect(await (await get('/cart/lin')).json()).toMatchObject({ count: 0 });
    expect((await get('/cart/lin/remove/4', { method: 'DELETE' })).status).toBe(404);
    const head = await get('/catalog/products', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('x-replica-id')).toMatch(/^catalog-/);
  });

  it('passes 4xx through as they are, and answers 404 itself for paths no route serves', async () => {
    const missing = await get('/catalog/products/999');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-replica-id')).not.toBe('none');
    const nowhere = await get('/payments/1');
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('x-replica-id')).toBeNull();
  });
});

describe('registry and status endpoints', () => {
  it('GET /mesh/status shows every service with endpoints, health, breakers and counters', async () => {
    await get('/catalog/products');
    const status = (await (await get('/mesh/status')).json()) as {
      services: Record<
        string,
        {
          endpoints: { pod: string; health: string; circuit: string; state: string }[];
          health: string;
          breakers: Record<string, number>;
          counters: { requests: number; failovers: number; ejections: number };
        }
      >;
    };
    expect(Object.keys(status.services).sort()).toEqual(['cart', 'catalog', 'order']);
    const catalog = status.services.catalog!;
    expect(catalog.health).toBe('healthy');
    expect(catalog.endpoints.map((e) => e.pod).sort()).toEqual(h.readyPods('catalog'));
    expect(catalog.endpoints.every((e) => e.circuit === 'closed' && e.state === 'serving')).toBe(true);
    expect(catalog.breakers).toEqual({ closed: 3, open: 0, 'half-open': 0 });
    expect(catalog.counters.requests).toBeGreaterThan(0);
    expect(catalog.counters).toHaveProperty('failovers');
    expect(catalog.counters).toHaveProperty('ejections');
  });

  it('GET /services and GET /discovery show the registry', async () => {
    const services = (await (await get('/services')).json()) as {
      services: { name: string; path: string; replicas: number; health: string }[];
    };
    expect(services.services.map((s) => [s.name, s.path, s.replicas])).toEqual([
      ['catalog', '/catalog', 3],
      ['cart', '/cart', 3],
      ['order', '/order', 3],
    ]);
    const discovery = (await (await get('/discovery')).json()) as {
      services: Record<string, { endpoints: { pod: string; url: string }[] }>;
    };
    const cart = discovery.services.cart!.endpoints;
    expect(cart.map((e) => e.pod).sort()).toEqual(h.readyPods('cart'));
    expect(cart.every((e) => /^http:\/\/127\.\d+\.\d+\.\d+:8080$/.test(e.url))).toBe(true);
  });

  it('POST /health-check probes every pod now: healthy, unhealthy (failing) and down (killed)', async () => {
    const [failing, killed] = h.readyPods('order');
    h.cluster.pods.fail(failing!, 500, { namespace: 'shop' });
    await h.cluster.pods.kill(killed!, { namespace: 'shop' });
    try {
      const res = await get('/health-check?service=order', { method: 'POST' });
      const body = (await res.json()) as { services: Record<string, { pod: string; status: string }[]> };
      const byPod = Object.fromEntries(body.services.order!.map((r) => [r.pod, r.status]));
      expect(byPod[failing!]).toBe('unhealthy');
      expect(byPod[killed!]).toBe('down');
      expect(Object.values(byPod)).toContain('healthy');
    } finally {
      await h.cluster.pods.restore(failing!, { namespace: 'shop' });
    }
    await waitFor('order back to 3 serving pods', () => h.gateway.status().services.order!.available === 3);
  });

  it('POST /mesh/reset/:service resets a service; unknown services get 404 naming the known ones', async () => {
    const res = await get('/mesh/reset/catalog', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ reset: 'catalog', breakers: { open: 0 } });
    expect(h.gateway.status().services.catalog!.counters.requests).toBe(0);
    expect((await get('/catalog/products')).status).toBe(200);
    const unknown = await get('/mesh/reset/payments', { method: 'POST' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: string }).error).toContain('catalog, cart, order');
  });

  it('GET /healthz says ready once every Service resolved', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  });
});
