import { startApp } from './app.js';

const app = await startApp({ port: Number(process.env.PORT ?? 3000) });
console.log(`fastify-basic listening on ${app.url}; try: curl ${app.url}/health`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
