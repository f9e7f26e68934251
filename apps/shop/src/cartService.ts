import { HttpError, positiveInt, readJsonBody, type ShopHandler } from './httpExchange.js';
import { findProduct } from './products.js';
import { Router } from './router.js';
import { type CartItem, type CartStore, createMemoryCartStore } from './shopStores.js';

export interface CartOptions {
  /** @default a new in-memory store */
  store?: CartStore;
  /** Pod name reported when the handler runs without a pod context. @default process.env.HOSTNAME ?? 'cart' */
  pod?: string;
}

function cartBody(userId: string, items: readonly CartItem[]): Record<string, unknown> {
  return { userId, items, count: items.reduce((n, item) => n + item.quantity, 0) };
}

/**
 * The cart service: `GET /cart/{user}`, `POST /cart/{user}/add` (`product_id` and `quantity` from the
 * query, as in the mesh simulation, or a JSON body), `DELETE /cart/{user}/remove/{product}`,
 * `DELETE /cart/{user}/clear`, `GET /cart/health`.
 */
export function createCartHandler(options: CartOptions = {}): ShopHandler {
  const store = options.store ?? createMemoryCartStore();
  const pod = options.pod ?? process.env.HOSTNAME ?? 'cart';
  return new Router()
    .add('GET', '/cart/health', () => ({ status: 200, body: { status: 'healthy', service: 'cart' } }))
    .add('GET', '/cart/:user', ({ params }) => ({
      status: 200,
      body: cartBody(params.user!, store.get(params.user!)),
    }))
    .add('POST', '/cart/:user/add', async ({ params, query, req }) => {
      const body = await readJsonBody(req);
      const productId = positiveInt(query.get('product_id') ?? body.product_id, 'product_id');
      const quantity = positiveInt(query.get('quantity') ?? body.quantity ?? 1, 'quantity');
      if (findProduct(productId) === undefined) throw new HttpError(404, `product ${productId} not found`);
      const user = params.user!;
      const items = store.get(user);
      const index = items.findIndex((item) => item.productId === productId);
      const current = index >= 0 ? items[index]!.quantity : 0;
      const next = { productId, quantity: current + quantity };
      if (index >= 0) items[index] = next;
      else items.push(next);
      store.set(user, items);
      return { status: 200, body: cartBody(user, items) };
    })
    .add('DELETE', '/cart/:user/remove/:product', ({ params }) => {
      const productId = positiveInt(params.product, 'product id');
      const user = params.user!;
      const items = store.get(user);
      const kept = items.filter((item) => item.productId !== productId);
      if (kept.length === items.length)
        throw new HttpError(404, `product ${productId} is not in the cart of ${user}`);
      store.set(user, kept);
      return { status: 200, body: cartBody(user, kept) };
    })
    .add('DELETE', '/cart/:user/clear', ({ params }) => {
      store.delete(params.user!);
      return { status: 200, body: cartBody(params.user!, []) };
    })
    .handler(pod);
}
