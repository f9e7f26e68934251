import { createMockCluster, type MockCluster } from '@kubesmart/mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CartFetch,
  createCartClient,
  createMemoryCartStore,
  createShopHandler,
  PRODUCTS,
} from '../src/index.js';
import { readyPods, shopServiceYaml } from './shopCluster.js';

let cluster: MockCluster;
const ns = { namespace: 'shop' };
const urlOf = (pod: string): string => cluster.pods.addressOf(pod, ns).url;
let catalogPods: string[];
let cartPods: string[];
let orderPods: string[];

beforeAll(async () => {
  cluster = await createMockCluster({ probeIntervalMs: 100 });
  await cluster.apply('apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }');
  const cartStore = createMemoryCartStore();
  cluster.pods.handle('app=catalog', createShopHandler('catalog'), ns);
  cluster.pods.handle('app=cart', createShopHandler('cart', { cartStore }), ns);
  // The order pods reach the cart pods directly here; through @kubesmart/core in the gateway's tests.
  const cartFetch: CartFetch = (path, init) => fetch(`${urlOf(cartPods[0]!)}${path}`, init);
  cluster.pods.handle('app=order', createShopHandler('order', { cart: createCartClient(cartFetch) }), ns);
  for (const name of ['catalog', 'cart', 'order']) await cluster.apply(shopServiceYaml(name, 2));
  catalogPods = await readyPods(cluster, 'catalog', 2);
  cartPods = await readyPods(cluster, 'cart', 2);
  orderPods = await readyPods(cluster, 'order', 2);
});

afterAll(async () => {
  await cluster?.close();
});

async function json(res: Response): Promise<Record<string, unknown>> {
  return (await res.json()) as Record<string, unknown>;
}

describe('catalog', () => {
  it('lists, gets and searches products, answering with the pod name', async () => {
    const pod = catalogPods[0]!;
    const list = await fetch(`${urlOf(pod)}/catalog/products`);
    expect(list.status).toBe(200);
    expect(list.headers.get('x-pod-name')).toBe(pod);
    expect((await json(list)).count).toBe(PRODUCTS.length);

    const one = await fetch(`${urlOf(pod)}/catalog/products/2`);
    expect(await json(one)).toMatchObject({ id: 2, name: 'Mechanical Keyboard' });

    const search = await json(await fetch(`${urlOf(pod)}/catalog/search?q=BOOKS`));
    expect(search.count).toBe(2);
    expect((await fetch(`${urlOf(pod)}/catalog/health`)).status).toBe(200);
  });

  it('answers 404 for unknown products and paths, 400 for bad input, 405 for other methods', async () => {
    const base = urlOf(catalogPods[1]!);
    expect((await fetch(`${base}/catalog/products/999`)).status).toBe(404);
    expect((await fetch(`${base}/catalog/products/abc`)).status).toBe(400);
    expect((await fetch(`${base}/catalog/search`)).status).toBe(400);
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
    const post = await fetch(`${base}/catalog/products`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(await json(post)).toHaveProperty('error');
  });
});

describe('cart', () => {
  it('adds (query or JSON body), removes and clears, with one store shared by the pods', async () => {
    const [a, b] = cartPods.map(urlOf) as [string, string];
    await fetch(`${a}/cart/ada/add?product_id=1&quantity=2`, { method: 'POST' });
    const added = await fetch(`${b}/cart/ada/add`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ product_id: 1, quantity: 1 }),
    });
    expect(await json(added)).toMatchObject({ items: [{ productId: 1, quantity: 3 }], count: 3 });
    await fetch(`${a}/cart/ada/add?product_id=5`, { method: 'POST' });
    const removed = await fetch(`${b}/cart/ada/remove/1`, { method: 'DELETE' });
    expect(await json(removed)).toMatchObject({ items: [{ productId: 5, quantity: 1 }] });
    expect((await fetch(`${b}/cart/ada/remove/1`, { method: 'DELETE' })).status).toBe(404);
    await fetch(`${a}/cart/ada/clear`, { method: 'DELETE' });
    expect(await json(await fetch(`${b}/cart/ada`))).toMatchObject({ items: [], count: 0 });
  });

  it('refuses unknown products, bad quantities and bad JSON', async () => {
    const a = urlOf(cartPods[0]!);
    expect((await fetch(`${a}/cart/bob/add?product_id=999`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${a}/cart/bob/add?product_id=1&quantity=0`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${a}/cart/bob/add`, { method: 'POST', body: '{nope' })).status).toBe(400);
  });
});

describe('order', () => {
  it('creates an order from the cart, prices it, clears the cart and lists it', async () => {
    const cart = urlOf(cartPods[1]!);
    await fetch(`${cart}/cart/cleo/add?product_id=2&quantity=1`, { method: 'POST' });
    await fetch(`${cart}/cart/cleo/add?product_id=7&quantity=3`, { method: 'POST' });
    const order = urlOf(orderPods[0]!);
    const created = await fetch(`${order}/order/create?user_id=cleo`, { method: 'POST' });
    expect(created.status).toBe(201);
    const body = await json(created);
    expect(body).toMatchObject({ userId: 'cleo', totalCents: 8999 + 3 * 899 });
    expect(await json(await fetch(`${cart}/cart/cleo`))).toMatchObject({ count: 0 });

    const again = await fetch(`${urlOf(orderPods[1]!)}/order/${String(body.id)}`);
    expect(again.status).toBe(200);
    expect(await json(await fetch(`${order}/order/user/cleo`))).toMatchObject({ count: 1 });
  });

  it('refuses an empty cart, a missing user_id and unknown orders', async () => {
    const order = urlOf(orderPods[0]!);
    expect((await fetch(`${order}/order/create?user_id=nobody`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${order}/order/create`, { method: 'POST' })).status).toBe(400);
    expect((await fetch(`${order}/order/ord-424242`)).status).toBe(404);
  });

  it('answers 503 when the cart service cannot be reached', async () => {
    const down: CartFetch = () => Promise.reject(new Error('connect ECONNREFUSED'));
    const handler = createShopHandler('order', { cart: createCartClient(down) });
    const reg = cluster.pods.handle(orderPods[0]!, handler, ns);
    try {
      const res = await fetch(`${urlOf(orderPods[0]!)}/order/create?user_id=cleo`, { method: 'POST' });
      expect(res.status).toBe(503);
      expect(String((await json(res)).error)).toContain('cart service unavailable');
    } finally {
      reg.remove();
    }
  });
});
