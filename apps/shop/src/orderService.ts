import type { CartClient } from './cartClient.js';
import { HttpError, type ShopHandler } from './httpExchange.js';
import { findProduct } from './products.js';
import { Router } from './router.js';
import { createMemoryOrderStore, type Order, type OrderStore } from './shopStores.js';

export interface OrderOptions {
  /** How the order service reaches the cart service (through `@kubesmart/core`). */
  cart: CartClient;
  /** @default a new in-memory store */
  store?: OrderStore;
  /** Pod name reported when the handler runs without a pod context. @default process.env.HOSTNAME ?? 'order' */
  pod?: string;
  /** Clock for `createdAt`. @default Date.now */
  now?: () => number;
}

/**
 * The order service: `POST /order/create?user_id=` (reads the user's cart from the cart service,
 * prices it, stores the order and clears the cart), `GET /order/{id}`, `GET /order/user/{user}`,
 * `GET /order/health`.
 */
export function createOrderHandler(options: OrderOptions): ShopHandler {
  const store = options.store ?? createMemoryOrderStore();
  const pod = options.pod ?? process.env.HOSTNAME ?? 'order';
  const now = options.now ?? Date.now;
  return new Router()
    .add('GET', '/order/health', () => ({ status: 200, body: { status: 'healthy', service: 'order' } }))
    .add('POST', '/order/create', async ({ query }) => {
      const userId = query.get('user_id');
      if (userId === null || userId.trim() === '')
        throw new HttpError(400, 'query parameter user_id is required: /order/create?user_id=user123');
      const cart = await options.cart.getCart(userId);
      if (cart.length === 0) throw new HttpError(400, `the cart of ${userId} is empty: add products first`);
      const items = cart.map((item) => {
        const product = findProduct(item.productId);
        if (product === undefined) throw new HttpError(409, `product ${item.productId} is no longer sold`);
        return { ...item, name: product.name, priceCents: product.priceCents };
      });
      const order: Order = {
        id: store.nextId(),
        userId,
        items,
        totalCents: items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0),
        createdAt: new Date(now()).toISOString(),
      };
      store.put(order);
      await options.cart.clearCart(userId);
      return { status: 201, body: order };
    })
    .add('GET', '/order/user/:user', ({ params }) => {
      const orders = store.byUser(params.user!);
      return { status: 200, body: { userId: params.user, orders, count: orders.length } };
    })
    .add('GET', '/order/:id', ({ params }) => {
      const order = store.get(params.id!);
      if (order === undefined) throw new HttpError(404, `order ${params.id} not found`);
      return { status: 200, body: order };
    })
    .handler(pod);
}
