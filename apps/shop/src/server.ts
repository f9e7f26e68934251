#!/usr/bin/env node
/**
 * Runs one shop service as a standalone HTTP server, as its container image does:
 * `node dist/server.js catalog|cart|order`, listening on HOST:PORT (default 127.0.0.1:8080; the image
 * sets HOST=0.0.0.0). The order service reaches the cart service through `@kubesmart/core`, with the
 * cluster found by `loadKubeConfig()` (in-cluster service account, KUBECONFIG, ~/.kube/config).
 */
import { createServer } from 'node:http';
import { createKubeSmart, type KubeSmart, loadKubeConfig } from '@kubesmart/core';
import { createCartClient } from './cartClient.js';
import { createShopHandler, isShopService, SHOP_SERVICES } from './shopServices.js';

const log = (msg: string): void => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), msg })}\n`);
};

async function main(argv: string[]): Promise<void> {
  const service = argv[0] ?? process.env.SHOP_SERVICE;
  if (service === undefined || !isShopService(service)) {
    process.stderr.write(
      `usage: server.js <${SHOP_SERVICES.join('|')}>  (or SHOP_SERVICE); got ${service ?? 'nothing'}\n`,
    );
    process.exitCode = 2;
    return;
  }
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be 0-65535, got ${process.env.PORT}`);

  let ks: KubeSmart | undefined;
  let cart: ReturnType<typeof createCartClient> | undefined;
  if (service === 'order') {
    ks = createKubeSmart({ kubeConfig: loadKubeConfig(), namespace: process.env.POD_NAMESPACE });
    const cartService = ks.service(process.env.CART_SERVICE ?? 'cart', { port: 'http' });
    cart = createCartClient((path, init) => cartService.fetch(path, init));
  }
  const handler = createShopHandler(service, cart === undefined ? {} : { cart });
  const server = createServer((req, res) => {
    void handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  log(
    `${service} listening on ${typeof address === 'object' && address ? `${address.address}:${address.port}` : port}`,
  );

  const stop = (): void => {
    log(`${service} stopping`);
    server.close();
    server.closeIdleConnections();
    void ks?.close();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`shop: ${(error as Error).message ?? String(error)}\n`);
  process.exitCode = 1;
});
