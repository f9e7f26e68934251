import { HttpError } from './httpExchange.js';
import type { CartItem } from './shopStores.js';

/** The part of a fetch `Response` the cart client reads. */
export interface CartResponse {
  readonly status: number;
  json(): Promise<unknown>;
}

/**
 * A fetch-like function to the cart service, with paths relative to it: in a pod this is
 * `ks.service('cart').fetch` from `@kubesmart/core`, so calls are balanced over cart pods and fail over.
 */
export type CartFetch = (path: string, init?: { method?: string }) => Promise<CartResponse>;

/** What the order service needs from the cart service. */
export interface CartClient {
  getCart(userId: string): Promise<CartItem[]>;
  clearCart(userId: string): Promise<void>;
}

function isCartItem(value: unknown): value is CartItem {
  const v = value as CartItem;
  return typeof v === 'object' && v !== null && Number.isInteger(v.productId) && Number.isInteger(v.quantity);
}

async function expectOk(res: CartResponse, what: string): Promise<unknown> {
  const body = await res.json().catch(() => undefined);
  if (res.status >= 200 && res.status < 300) return body;
  const detail = (body as { error?: unknown } | undefined)?.error;
  throw new HttpError(
    res.status >= 500 ? 502 : res.status,
    `cart service answered ${res.status} to ${what}${typeof detail === 'string' ? `: ${detail}` : ''}`,
  );
}

/** A {@link CartClient} over the cart service's HTTP API. */
export function createCartClient(fetchCart: CartFetch): CartClient {
  const call = async (path: string, method: string): Promise<unknown> => {
    let res: CartResponse;
    try {
      res = await fetchCart(path, { method });
    } catch (error) {
      throw new HttpError(503, `cart service unavailable for ${method} ${path}: ${(error as Error).message}`);
    }
    return expectOk(res, `${method} ${path}`);
  };
  return {
    async getCart(userId) {
      const body = (await call(`/cart/${encodeURIComponent(userId)}`, 'GET')) as { items?: unknown };
      const items = Array.isArray(body?.items) ? body.items : [];
      return items.filter(isCartItem).map((item) => ({ productId: item.productId, quantity: item.quantity }));
    },
    async clearCart(userId) {
      await call(`/cart/${encodeURIComponent(userId)}/clear`, 'DELETE');
    },
  };
}
