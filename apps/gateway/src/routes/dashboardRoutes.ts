import { readFile } from 'node:fs/promises';
import type { FastifyInstance } from 'fastify';

/** The dashboard's files: static HTML, CSS and JS, no build step, nothing from a CDN. */
const FILES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/** Serves the live dashboard at `/mesh/`; it polls `/mesh/status` every second. */
export async function registerDashboard(app: FastifyInstance): Promise<void> {
  const dir = new URL('../../public/', import.meta.url);
  const files = new Map<string, Buffer>();
  for (const name of Object.keys(FILES)) files.set(name, await readFile(new URL(name, dir)));

  app.get('/mesh', async (_request, reply) => reply.redirect('/mesh/', 302));
  app.get('/', async (_request, reply) => reply.redirect('/mesh/', 302));
  app.get<{ Params: { file: string } }>('/mesh/:file', { logLevel: 'warn' }, async (request, reply) => {
    const name = request.params.file === '' ? 'index.html' : request.params.file;
    const body = files.get(name);
    if (body === undefined) return reply.code(404).send({ error: `no dashboard file ${name}` });
    return reply.type(FILES[name]!).header('cache-control', 'no-cache').send(body);
  });
  app.get('/mesh/', async (_request, reply) =>
    reply.type(FILES['index.html']!).header('cache-control', 'no-cache').send(files.get('index.html')),
  );
}
