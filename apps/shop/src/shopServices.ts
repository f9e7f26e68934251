import type { CartClient } from './cartClient.js';
import { createCartHandler } from './cartService.js';
import { createCatalogHandler } from './catalogService.js';
import type { ShopHandler } from './httpExchange.js';
import { createOrderHandler } from './orderService.js';
import {
  type CartStore,
  createMemoryCartStore,
  createMemoryOrderStore,
  type OrderStore,
} from './shopStores.js';

/** The shop's services, by the name of their Kubernetes Service and the path prefix they serve. */
export const SHOP_SERVICES = Object.freeze(['catalog', 'cart', 'order'] as const);
export type ShopServiceName = (typeof SHOP_SERVICES)[number];

export function isShopService(name: string): name is ShopServiceName {
  return (SHOP_SERVICES as readonly string[]).includes(name);
}

export interface ShopOptions {
  /** How order pods reach cart pods; required to serve `order`. */
  cart?: CartClient;
  /** @default a new in-memory store, shared by every pod of the returned handler */
  cartStore?: CartStore;
  /** @default a new in-memory store, shared by every pod of the returned handler */
  orderStore?: OrderStore;
}

/** The handler of one shop service: a `node:http` handler and a `@kubesmart/mock` pod handler. */
export function createShopHandler(service: ShopServiceName, options: ShopOptions = {}): ShopHandler {
  switch (service) {
    case 'catalog':
      return createCatalogHandler();
    case 'cart':
      return createCartHandler({ store: options.cartStore ?? createMemoryCartStore() });
    case 'order': {
      if (options.cart === undefined)
        throw new TypeError(
          'createShopHandler("order") needs `cart`: a CartClient to reach the cart service',
        );
      return createOrderHandler({
        cart: options.cart,
        store: options.orderStore ?? createMemoryOrderStore(),
      });
    }
  }
}
