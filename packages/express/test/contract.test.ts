import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { describeAdapterContract } from '@kubesmart/test-utils';
import express from 'express';
import { kubeSmart, kubeSmartRouter } from '../src/index.js';

describeAdapterContract('@kubesmart/express', {
  async start(options) {
    const kube = kubeSmart(options);
    const app = express();
    app.use(kube);
    app.use(kubeSmartRouter());
    app.get('/backend', async (req, res) => {
      const response = await req.kube.services.backend!.fetch('/');
      res.status(response.status).json(await response.json());
    });
    app.get('/kv/:key', async (req, res) => {
      const entry = await req.kube.kv('contract').get(req.params.key);
      res.json({ value: entry?.value ?? null });
    });
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(502).json({ name: error.name, message: error.message });
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      async close() {
        await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
        await kube.close();
      },
    };
  },
});
