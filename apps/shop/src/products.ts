/** One product of the sample catalog. Prices are in cents, so totals add up exactly. */
export interface Product {
  readonly id: number;
  readonly name: string;
  readonly category: string;
  readonly priceCents: number;
  readonly stock: number;
}

/** The sample catalog: the same in every pod, as if read from one database. */
export const PRODUCTS: readonly Product[] = Object.freeze(
  [
    { id: 1, name: 'Wireless Mouse', category: 'electronics', priceCents: 2499, stock: 120 },
    { id: 2, name: 'Mechanical Keyboard', category: 'electronics', priceCents: 8999, stock: 45 },
    { id: 3, name: 'USB-C Hub', category: 'electronics', priceCents: 3999, stock: 80 },
    { id: 4, name: '27" Monitor', category: 'electronics', priceCents: 24999, stock: 12 },
    { id: 5, name: 'Laptop Stand', category: 'office', priceCents: 2999, stock: 60 },
    { id: 6, name: 'Desk Lamp', category: 'office', priceCents: 1999, stock: 75 },
    { id: 7, name: 'Notebook (A5, dotted)', category: 'office', priceCents: 899, stock: 300 },
    { id: 8, name: 'Espresso Beans 1 kg', category: 'kitchen', priceCents: 2199, stock: 40 },
    { id: 9, name: 'Pour-over Kettle', category: 'kitchen', priceCents: 4599, stock: 25 },
    { id: 10, name: 'Kubernetes in Action', category: 'books', priceCents: 4999, stock: 30 },
    { id: 11, name: 'Designing Data-Intensive Applications', category: 'books', priceCents: 4299, stock: 18 },
    { id: 12, name: 'Noise-cancelling Headphones', category: 'electronics', priceCents: 19999, stock: 20 },
  ].map((p) => Object.freeze(p)),
);

const byId = new Map(PRODUCTS.map((p) => [p.id, p]));

/** The product with this id, or undefined. */
export function findProduct(id: number): Product | undefined {
  return byId.get(id);
}

/** Products whose name or category contains `query`, ignoring case. */
export function searchProducts(query: string): Product[] {
  const q = query.trim().toLowerCase();
  return PRODUCTS.filter((p) => p.name.toLowerCase().includes(q) || p.category.toLowerCase().includes(q));
}
