import { connect, createServer, type Server, type Socket } from 'node:net';
import type { MockCluster } from '@kubesmart/mock';

interface SliceShape {
  ports?: { name?: string; port?: number }[];
  endpoints?: {
    addresses?: string[];
    conditions?: { ready?: boolean; terminating?: boolean };
    targetRef?: { name?: string };
  }[];
}

/**
 * What a Service's ClusterIP does without the mesh: kube-proxy balances connections, not requests.
 * Each accepted connection is sent, for its whole life, to one ready endpoint of the Service drawn at
 * random from its EndpointSlices, as kube-proxy's iptables rules do; a pod stays a candidate until
 * Kubernetes readiness takes its endpoint out. One listener on 127.0.0.1 per Service.
 */
export class KubeProxy {
  readonly #cluster: MockCluster;
  readonly #namespace: string;
  readonly #servers = new Map<string, Server>();
  readonly #sockets = new Set<Socket>();
  /** Open connections per `service/pod`. */
  readonly #open = new Map<string, number>();

  constructor(cluster: MockCluster, namespace: string) {
    this.#cluster = cluster;
    this.#namespace = namespace;
  }

  /** Starts a listener for each Service; resolves with their base URLs by Service name. */
  async start(services: readonly string[]): Promise<Record<string, string>> {
    const urls: Record<string, string> = {};
    for (const service of services) {
      const server = createServer((socket) => this.#forward(service, socket));
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      this.#servers.set(service, server);
      urls[service] = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    }
    return urls;
  }

  /** The ready `host:port` endpoints of a Service, as the API server has them now. */
  endpoints(service: string): { host: string; port: number; pod: string }[] {
    const slices = this.#cluster.list('endpointslices', this.#namespace, {
      labelSelector: `kubernetes.io/service-name=${service}`,
    }) as unknown as SliceShape[];
    return slices.flatMap((slice) => {
      const port = slice.ports?.find((p) => p.name === 'http')?.port ?? slice.ports?.[0]?.port;
      if (port === undefined) return [];
      return (slice.endpoints ?? [])
        .filter((e) => e.conditions?.ready !== false && e.conditions?.terminating !== true)
        .flatMap((e) => (e.addresses ?? []).map((host) => ({ host, port, pod: e.targetRef?.name ?? host })));
    });
  }

  #forward(service: string, client: Socket): void {
    this.#sockets.add(client);
    client.once('close', () => this.#sockets.delete(client));
    const candidates = this.endpoints(service);
    const target = candidates[Math.floor(Math.random() * candidates.length)];
    if (target === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect({ host: target.host, port: target.port });
    const key = `${service}/${target.pod}`;
    this.#open.set(key, (this.#open.get(key) ?? 0) + 1);
    this.#sockets.add(upstream);
    upstream.once('close', () => {
      this.#sockets.delete(upstream);
      this.#open.set(key, (this.#open.get(key) ?? 1) - 1);
      client.destroy();
    });
    client.once('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  }

  /** Connections open now to a pod of a Service. */
  connections(service: string, pod: string): number {
    return this.#open.get(`${service}/${pod}`) ?? 0;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(
      [...this.#servers.values()].map((server) => new Promise((resolve) => server.close(resolve))),
    );
    this.#servers.clear();
  }
}
