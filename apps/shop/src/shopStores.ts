/** One line of a cart. */
export interface CartItem {
  readonly productId: number;
  readonly quantity: number;
}

/** A placed order. */
export interface Order {
  readonly id: string;
  readonly userId: string;
  readonly items: readonly (CartItem & { readonly name: string; readonly priceCents: number })[];
  readonly totalCents: number;
  readonly createdAt: string;
}

/**
 * Where the cart service keeps carts. Pods of one Deployment share one store in the emulator (as
 * they would share a database); a standalone server keeps its own in memory.
 */
export interface CartStore {
  get(userId: string): CartItem[];
  set(userId: string, items: CartItem[]): void;
  delete(userId: string): void;
}

/** Where the order service keeps orders; shared like {@link CartStore}. */
export interface OrderStore {
  nextId(): string;
  put(order: Order): void;
  get(id: string): Order | undefined;
  byUser(userId: string): Order[];
}

export function createMemoryCartStore(): CartStore {
  const carts = new Map<string, CartItem[]>();
  return {
    get: (userId) => [...(carts.get(userId) ?? [])],
    set: (userId, items) => {
      carts.set(userId, [...items]);
    },
    delete: (userId) => {
      carts.delete(userId);
    },
  };
}

export function createMemoryOrderStore(): OrderStore {
  const orders = new Map<string, Order>();
  let next = 1;
  return {
    nextId: () => `ord-${String(next++).padStart(6, '0')}`,
    put: (order) => {
      orders.set(order.id, order);
    },
    get: (id) => orders.get(id),
    byUser: (userId) => [...orders.values()].filter((o) => o.userId === userId),
  };
}
