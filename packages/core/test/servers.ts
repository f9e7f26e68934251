import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';

/** A real server on loopback that tests close in `afterEach`. */
export interface TestServer {
  readonly host: string;
  readonly port: number;
  /** Connections or requests received so far. */
  readonly hits: number;
  close(): Promise<void>;
}

async function listen(server: Server, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('server has no port');
  return address.port;
}

function closer(server: Server, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/** A TCP server that accepts connections (and holds them open until closed). */
export async function startTcpServer(host = '127.0.0.1'): Promise<TestServer> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const server = createTcpServer((socket) => {
    hits++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, host);
  return {
    host,
    port,
    get hits() {
      return hits;
    },
    close: closer(server, sockets),
  };
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** An HTTP server whose handler tests may swap at any time. */
export async function startHttpServer(
  handler: Handler,
  host = '127.0.0.1',
): Promise<TestServer & { handler: Handler }> {
  const sockets = new Set<Socket>();
  let hits = 0;
  const state = { handler };
  const server = createHttpServer((req, res) => {
    hits++;
    state.handler(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const port = await listen(server, host);
  return {
    host,
    port,
    get hits() {
      return hits;
    },
    get handler() {
      return state.handler;
    },
    set handler(next: Handler) {
      state.handler = next;
    },
    close: closer(server, sockets),
  };
}

/** A loopback port with nothing listening on it: connections are refused. */
export async function closedPort(host = '127.0.0.1'): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server, host);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
