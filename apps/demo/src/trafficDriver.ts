import { Pool } from 'undici';

/** One kind of request the driver sends, with its share of the traffic. */
interface RequestKind {
  readonly weight: number;
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: (n: number) => string;
}

const USERS = ['ada', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'frances'];
const TERMS = ['keyboard', 'books', 'kitchen', 'usb', 'lamp', 'monitor'];
const pickOf = <T>(list: readonly T[], n: number): T => list[n % list.length]!;

/** A shop's traffic: mostly reads, some cart writes, a few orders (and some 404s, which are not errors). */
const MIX: readonly RequestKind[] = [
  { weight: 25, method: 'GET', path: () => '/catalog/products' },
  { weight: 20, method: 'GET', path: (n) => `/catalog/products/${(n % 13) + 1}` },
  { weight: 10, method: 'GET', path: (n) => `/catalog/search?q=${pickOf(TERMS, n)}` },
  { weight: 15, method: 'GET', path: (n) => `/cart/${pickOf(USERS, n)}` },
  {
    weight: 10,
    method: 'POST',
    path: (n) => `/cart/${pickOf(USERS, n)}/add?product_id=${(n % 12) + 1}&quantity=1`,
  },
  { weight: 4, method: 'DELETE', path: (n) => `/cart/${pickOf(USERS, n)}/remove/${(n % 12) + 1}` },
  { weight: 10, method: 'GET', path: (n) => `/order/user/${pickOf(USERS, n)}` },
  { weight: 6, method: 'POST', path: (n) => `/order/create?user_id=${pickOf(USERS, n)}` },
];
const TOTAL_WEIGHT = MIX.reduce((n, k) => n + k.weight, 0);

/** What the client saw of one request. */
export interface RequestOutcome {
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly pod: string | undefined;
  readonly attempts: number;
  /** When it was sent, `performance.now()` ms. */
  readonly sentAt: number;
  readonly latencyMs: number;
  /** 5xx or no answer: a failure the client sees (4xx are the client's own). */
  readonly failed: boolean;
  readonly idempotent: boolean;
  readonly error: string | undefined;
}

export interface TrafficTotals {
  requests: number;
  idempotentRequests: number;
  clientErrors: number;
  idempotentClientErrors: number;
  nonIdempotentClientErrors: number;
  /** Requests answered after a retry on another pod. */
  retried: number;
  statuses: Record<string, number>;
  /** The first few failures, for the summary. */
  failures: RequestOutcome[];
}

export interface TrafficDriverOptions {
  /** Gateway base URL. */
  url: string;
  /**
   * Base URLs by route (the first path segment: `catalog`, `cart`, `order`), used instead of `url`:
   * to send the same traffic to each Service directly, without the gateway.
   */
  urls?: Readonly<Record<string, string>>;
  /**
   * Independent clients per URL, each with one keep-alive connection, taking requests in turn (as
   * many client processes do); without it one pool spreads requests over its idle connections.
   */
  clients?: number;
  /** Requests per second to aim for. */
  rate: number;
  /** Requests in flight at most. @default 16 */
  concurrency?: number;
  /** Client-side timeout of one request, ms. @default 10000 */
  timeoutMs?: number;
  onOutcome?: (outcome: RequestOutcome) => void;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * Sends the shop's request mix to the gateway at a steady rate over keep-alive connections, and
 * counts what the client sees. `stop()` waits for the requests in flight.
 */
export class TrafficDriver {
  readonly totals: TrafficTotals = {
    requests: 0,
    idempotentRequests: 0,
    clientErrors: 0,
    idempotentClientErrors: 0,
    nonIdempotentClientErrors: 0,
    retried: 0,
    statuses: {},
    failures: [],
  };
  readonly #o: Required<Omit<TrafficDriverOptions, 'onOutcome' | 'urls' | 'clients'>> &
    Pick<TrafficDriverOptions, 'onOutcome' | 'urls' | 'clients'>;
  /** One pool per base URL (the gateway's, or each route's), or one per client of each. */
  readonly #pools = new Map<string, Pool>();
  readonly #inflight = new Set<Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #stopped: Promise<void> | undefined;
  #n = 0;
  #credit = 0;
  #last = 0;

  constructor(options: TrafficDriverOptions) {
    this.#o = { concurrency: 16, timeoutMs: 10_000, ...options };
  }

  #poolFor(path: string, n: number): Pool {
    const url = this.#o.urls?.[path.split('/')[1] ?? ''] ?? this.#o.url;
    const clients = this.#o.clients;
    const key = clients === undefined ? url : `${url}#${n % clients}`;
    let pool = this.#pools.get(key);
    if (pool === undefined) {
      pool = new Pool(url, {
        connections: clients === undefined ? this.#o.concurrency : 1,
        keepAliveTimeout: 10_000,
      });
      this.#pools.set(key, pool);
    }
    return pool;
  }

  start(): void {
    if (this.#timer !== undefined || this.#stopped !== undefined) return;
    this.#last = performance.now();
    this.#timer = setInterval(() => this.#tick(), 10);
  }

  /** Stops sending; resolves once the requests in flight are done and the connections closed. */
  stop(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stopped ??= (async () => {
      await Promise.all([...this.#inflight]);
      await Promise.all([...this.#pools.values()].map((pool) => pool.close()));
    })();
    return this.#stopped;
  }

  #tick(): void {
    const now = performance.now();
    this.#credit = Math.min(this.#credit + ((now - this.#last) / 1000) * this.#o.rate, this.#o.concurrency);
    this.#last = now;
    while (this.#credit >= 1 && this.#inflight.size < this.#o.concurrency) {
      this.#credit -= 1;
      const p = this.#send(this.#n++).finally(() => this.#inflight.delete(p));
      this.#inflight.add(p);
    }
  }

  #kind(n: number): RequestKind {
    // A fixed, well-mixed order: multiply by a prime to spread consecutive numbers over the mix.
    let slot = (n * 7919) % TOTAL_WEIGHT;
    for (const kind of MIX) {
      if (slot < kind.weight) return kind;
      slot -= kind.weight;
    }
    return MIX[0]!;
  }

  async #send(n: number): Promise<void> {
    const kind = this.#kind(n);
    const path = kind.path(Math.floor(n / 7));
    const idempotent = IDEMPOTENT.has(kind.method);
    const start = performance.now();
    let outcome: RequestOutcome;
    try {
      const res = await this.#poolFor(path, n).request({
        method: kind.method,
        path,
        headersTimeout: this.#o.timeoutMs,
        bodyTimeout: this.#o.timeoutMs,
      });
      await res.body.dump();
      const pod = res.headers['x-replica-id'];
      const attempts = Number(res.headers['x-mesh-attempts'] ?? 1);
      outcome = {
        method: kind.method,
        path,
        status: res.statusCode,
        pod: typeof pod === 'string' && pod !== 'none' ? pod : undefined,
        attempts: Number.isFinite(attempts) ? attempts : 1,
        sentAt: start,
        latencyMs: performance.now() - start,
        failed: res.statusCode >= 500,
        idempotent,
        error: undefined,
      };
    } catch (error) {
      outcome = {
        method: kind.method,
        path,
        status: undefined,
        pod: undefined,
        attempts: 1,
        sentAt: start,
        latencyMs: performance.now() - start,
        failed: true,
        idempotent,
        error: (error as Error).message,
      };
    }
    this.#count(outcome);
  }

  #count(o: RequestOutcome): void {
    const t = this.totals;
    t.requests++;
    if (o.idempotent) t.idempotentRequests++;
    if (o.attempts > 1) t.retried++;
    const key = o.status === undefined ? 'no answer' : String(o.status);
    t.statuses[key] = (t.statuses[key] ?? 0) + 1;
    if (o.failed) {
      t.clientErrors++;
      if (o.idempotent) t.idempotentClientErrors++;
      else t.nonIdempotentClientErrors++;
      if (t.failures.length < 10) t.failures.push(o);
    }
    this.#o.onOutcome?.(o);
  }
}
