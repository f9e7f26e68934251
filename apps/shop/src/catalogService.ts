import { HttpError, positiveInt, type ShopHandler } from './httpExchange.js';
import { findProduct, PRODUCTS, searchProducts } from './products.js';
import { Router } from './router.js';

export interface CatalogOptions {
  /** Pod name reported when the handler runs without a pod context. @default process.env.HOSTNAME ?? 'catalog' */
  pod?: string;
}

/**
 * The catalog service: `GET /catalog/products`, `/catalog/products/{id}`, `/catalog/search?q=`,
 * `/catalog/health`.
 */
export function createCatalogHandler(options: CatalogOptions = {}): ShopHandler {
  const pod = options.pod ?? process.env.HOSTNAME ?? 'catalog';
  return new Router()
    .add('GET', '/catalog/health', () => ({ status: 200, body: { status: 'healthy', service: 'catalog' } }))
    .add('GET', '/catalog/products', () => ({
      status: 200,
      body: { products: PRODUCTS, count: PRODUCTS.length },
    }))
    .add('GET', '/catalog/products/:id', ({ params }) => {
      const id = positiveInt(params.id, 'product id');
      const product = findProduct(id);
      if (product === undefined) throw new HttpError(404, `product ${id} not found`);
      return { status: 200, body: product };
    })
    .add('GET', '/catalog/search', ({ query }) => {
      const q = query.get('q');
      if (q === null || q.trim() === '')
        throw new HttpError(400, 'query parameter q is required: /catalog/search?q=keyboard');
      const results = searchProducts(q);
      return { status: 200, body: { query: q, results, count: results.length } };
    })
    .handler(pod);
}
