import { fileURLToPath } from 'node:url';
import { ErrorCode, KubeSmartError, RETRY_DEFAULTS } from '@kubesmart/core';
import { describe, expect, it } from 'vitest';
import { GatewayConfigError, loadGatewayConfig, parseGatewayConfigYaml } from './loadGatewayConfig.js';

const SHIPPED = fileURLToPath(new URL('../../config/gateway.yaml', import.meta.url));

function issuesOf(yaml: string): string[] {
  try {
    parseGatewayConfigYaml(yaml, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayConfigError);
    return [...(error as GatewayConfigError).issues];
  }
  throw new Error('expected the configuration to be refused');
}

describe('the shipped config/gateway.yaml', () => {
  it('routes /catalog, /cart and /order with the mesh simulation defaults: 3 failures open a breaker for 30 s, 3 attempts, 5xx only', async () => {
    const config = await loadGatewayConfig(SHIPPED);
    expect(config.routes.map((r) => [r.name, r.service, r.path, r.namespace])).toEqual([
      ['catalog', 'catalog', '/catalog', 'shop'],
      ['cart', 'cart', '/cart', 'shop'],
      ['order', 'order', '/order', 'shop'],
    ]);
    for (const route of config.routes) {
      expect(route.circuitBreaker).toEqual({ failureThreshold: 3, openMs: 30_000, halfOpenRequests: 1 });
      expect(route.retry.retries).toBe(2);
      expect(route.retry.retryOn).toEqual([502, 503, 504]);
      expect(route.healthCheck).toMatchObject({ path: `${route.path}/health` });
    }
    expect(config.routes[0]!.balancer).toBe('peak-ewma');
    expect(config.routes[1]!.balancer).toBe('least-request');
  });
});

describe('defaults and overrides', () => {
  it('fills defaults, derives the Service name and health path from the key, and merges per-service overrides', () => {
    const config = parseGatewayConfigYaml(`
services:
  catalog: {}
  cart:
    balancer: consistent-hash
    hash_on: path:1
    retry: { max_attempts: 1 }
    circuit_breaker: { timeout_ms: 250 }
    health_check: false
`);
    const [catalog, cart] = config.routes as [(typeof config.routes)[0], (typeof config.routes)[0]];
    expect(config).toMatchObject({ host: '127.0.0.1', port: 8080, namespace: 'default' });
    expect(catalog).toMatchObject({
      service: 'catalog',
      path: '/catalog',
      balancer: 'least-request',
      stripPrefix: false,
    });
    expect(catalog.healthCheck).toMatchObject({ path: '/catalog/health', intervalMs: 5000 });
    expect(cart.hashOn).toEqual({ from: 'path', segment: 1 });
    expect(cart.retry).toMatchObject({ retries: 0, backoffBaseMs: RETRY_DEFAULTS.backoffBaseMs });
    expect(cart.circuitBreaker).toEqual({ failureThreshold: 3, openMs: 250, halfOpenRequests: 1 });
    expect(cart.healthCheck).toBe(false);
  });

  it('accepts the mesh simulation key names (timeout_seconds, backoff_seconds)', () => {
    const config = parseGatewayConfigYaml(`
mesh:
  circuit_breaker: { failure_threshold: 5, timeout_seconds: 10 }
  retry: { max_attempts: 4, backoff_seconds: 0.5, max_backoff_seconds: 4 }
services: { order: { path: /order } }
`);
    expect(config.routes[0]!.circuitBreaker).toMatchObject({ failureThreshold: 5, openMs: 10_000 });
    expect(config.routes[0]!.retry).toMatchObject({ retries: 3, backoffBaseMs: 500, backoffMaxMs: 4000 });
  });
});

describe('validation: every problem, with where it is and what to do', () => {
  it('names unknown keys and suggests the one meant', () => {
    const issues = issuesOf('services:\n  cart:\n    retyr: { max_attempts: 2 }\n');
    expect(issues).toEqual([
      expect.stringContaining('services.cart.retyr: unknown key; did you mean `retry`?'),
    ]);
  });

  it('refuses 4xx in retry_on: a 4xx is never retried', () => {
    const issues = issuesOf('services:\n  cart:\n    retry: { retry_on: [503, 404, 429] }\n');
    expect(issues[0]).toMatch(
      /services\.cart\.retry\.retry_on: only 5xx statuses may be retried, got 404, 429/,
    );
  });

  it('collects several problems at once', () => {
    const issues = issuesOf(`
gateway: { port: 70000 }
mesh:
  balancer: fastest
  circuit_breaker: { failure_threshold: 0, timeout_ms: 10, timeout_seconds: 1 }
services:
  Cart_Service: { path: cart }
  a: { path: /mesh/x }
  b: { path: /same }
  c: { path: /same, hash_on: header:x-user }
`);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining('gateway.port: must be an integer from 0 to 65535, got number 70000'),
        expect.stringContaining(
          'mesh.balancer: must be one of round-robin, random, least-request, peak-ewma, consistent-hash',
        ),
        expect.stringContaining('mesh.circuit_breaker.failure_threshold: must be an integer from 1'),
        expect.stringContaining(
          'mesh.circuit_breaker.timeout: give either timeout_ms or timeout_seconds, not both',
        ),
        expect.stringContaining('services.Cart_Service.name: must be a Kubernetes Service name'),
        expect.stringContaining('services.Cart_Service.path: must start with /'),
        expect.stringContaining('services.a.path: /mesh is served by the gateway itself'),
        expect.stringContaining('services.c.hash_on: is used only with balancer: consistent-hash'),
        expect.stringContaining('services.c.path: /same is already the path of b'),
      ]),
    );
  });

  it('explains a missing services section, bad YAML and a missing file', async () => {
    expect(issuesOf('gateway: { port: 1 }\n')).toEqual([
      'services: is required: at least one service to route to',
    ]);
    expect(issuesOf('services: [\n')[0]).toMatch(/is not valid YAML/);
    await expect(loadGatewayConfig('/nonexistent/gateway.yaml')).rejects.toThrow(
      /gateway\.yaml is not valid.*cannot be read/s,
    );
  });

  it('puts every issue in the message, with a pointer to the example', () => {
    let message = '';
    try {
      parseGatewayConfigYaml('services: { x: { retry: { max_attempts: 0 } } }', 'my.yaml');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(
      /^The gateway configuration my\.yaml is not valid \(1 problem\):\n {2}- services\.x\.retry\.max_attempts: must be an integer from 1 to 10, got number 0\n/,
    );
    expect(message).toContain('config/gateway.yaml is a complete example');
    const error = (() => {
      try {
        parseGatewayConfigYaml('services: { x: { retry: { max_attempts: 0 } } }', 'my.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(KubeSmartError);
    expect(error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT, details: { source: 'my.yaml' } });
  });
});

describe("retries in core's words", () => {
  it("uses core's option names and, where the file says nothing, core's defaults", () => {
    const plain = parseGatewayConfigYaml('services: { cart: {} }');
    expect(plain.routes[0]!.retry).toEqual({ ...RETRY_DEFAULTS, budget: {} });
    expect(plain.warnings).toEqual([]);
    const config = parseGatewayConfigYaml(`
mesh:
  retry: { retries: 1, timeout_ms: 800, backoff_base_ms: 10, backoff_max_seconds: 0.1, budget: { percent: 30, window_seconds: 5 } }
services:
  cart: {}
  order: { retry: { budget: false, retry_on: [503] } }
`);
    expect(config.routes[0]!.retry).toEqual({
      retries: 1,
      timeoutMs: 800,
      backoffBaseMs: 10,
      backoffMaxMs: 100,
      retryOn: [502, 503, 504],
      budget: { percent: 30, windowMs: 5000 },
    });
    expect(config.routes[1]!.retry).toMatchObject({
      retries: 1,
      timeoutMs: 800,
      retryOn: [503],
      budget: false,
    });
    expect(config.warnings).toEqual([]);
  });

  it('still reads the earlier names, each with a logged deprecation warning naming the new one', () => {
    const logged: [object | string, string | undefined][] = [];
    const logger = { warn: (obj: object | string, msg?: string) => void logged.push([obj, msg]) };
    const config = parseGatewayConfigYaml(
      `
mesh:
  retry: { max_attempts: 4, backoff_ms: 100, max_backoff_ms: 1000, per_try_timeout_seconds: 2, budget_percent: 0 }
services: { cart: {} }
`,
      'old.yaml',
      { logger },
    );
    expect(config.routes[0]!.retry).toEqual({
      retries: 3,
      timeoutMs: 2000,
      backoffBaseMs: 100,
      backoffMaxMs: 1000,
      retryOn: [502, 503, 504],
      budget: false,
    });
    expect(config.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mesh\.retry\.max_attempts is deprecated.*write retries: 3/),
        expect.stringMatching(/^mesh\.retry\.backoff_ms is deprecated.*write backoff_base_ms instead/),
        expect.stringMatching(/^mesh\.retry\.max_backoff_ms is deprecated.*write backoff_max_ms instead/),
        expect.stringMatching(/^mesh\.retry\.per_try_timeout_seconds is deprecated.*write timeout_seconds/),
        expect.stringMatching(/^mesh\.retry\.budget_percent is deprecated.*write budget: false/),
      ]),
    );
    expect(config.warnings).toHaveLength(5);
    expect(logged).toEqual(
      config.warnings.map((w) => [{ source: 'old.yaml' }, `gateway configuration: ${w}`]),
    );
  });

  it('refuses an earlier name given beside its new one', () => {
    const issues = issuesOf(
      'services:\n  cart:\n    retry: { max_attempts: 2, retries: 1, backoff_ms: 5, backoff_base_ms: 5 }\n',
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringContaining(
          'services.cart.retry.max_attempts: give either retries or max_attempts, not both',
        ),
        expect.stringContaining(
          'services.cart.retry.backoff_ms: give either backoff_base_ms or backoff_ms, not both',
        ),
      ]),
    );
  });
});

describe('namespaces and hosts', () => {
  it('refuses a namespace that is not a DNS-1123 label, naming the field', () => {
    const issues = issuesOf(`
gateway: { namespace: My_Shop }
services:
  cart: { namespace: shop. }
  order: { namespace: ${'a'.repeat(64)} }
  ok: { namespace: team-1 }
`);
    expect(issues).toEqual([
      expect.stringMatching(
        /^gateway\.namespace: must be a Kubernetes namespace \(a DNS-1123 label.*got string "My_Shop"/,
      ),
      expect.stringMatching(
        /^services\.cart\.namespace: must be a Kubernetes namespace.*got string "shop\."/,
      ),
      expect.stringMatching(/^services\.order\.namespace: must be a Kubernetes namespace/),
    ]);
  });

  it('refuses a host that is neither an IP address nor a host name, naming the field', () => {
    for (const host of ['http://127.0.0.1', '127.0.0.1:8080', 'my host', '-bad.example']) {
      expect(issuesOf(`gateway: { host: '${host}' }\nservices: { cart: {} }\n`), host).toEqual([
        expect.stringMatching(/^gateway\.host: must be an IP address .* or a host name/),
      ]);
    }
    for (const host of ['0.0.0.0', '::', '::1', 'localhost', 'gateway.shop.svc.cluster.local']) {
      expect(parseGatewayConfigYaml(`gateway: { host: '${host}' }\nservices: { cart: {} }\n`).host).toBe(
        host,
      );
    }
  });
});
