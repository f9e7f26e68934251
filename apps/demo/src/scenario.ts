import type { DemoCluster } from './demoCluster.js';
import { SHOP_NAMESPACE } from './demoCluster.js';
import type { FaultRecord, FaultWatcher } from './faultWatcher.js';

/** One step of the demo: what it does to the cluster, and what to watch for meanwhile. */
export interface ScenarioStep {
  readonly title: string;
  /** One or two lines on what happens and what the mesh does about it. */
  readonly explain: string;
  /** How long traffic runs in this step, in seconds (before the speed factor). */
  readonly seconds: number;
  /** Injects the step's fault; returns what it did, for the log. */
  run(ctx: ScenarioContext): Promise<string>;
}

export interface ScenarioContext {
  readonly demo: DemoCluster;
  readonly watcher: FaultWatcher;
  /** Counts answers per pod while a step runs (for the slow pod's share). */
  readonly answers: Map<string, number>;
  /** Answers per `route/pod` during the previous step: where the traffic goes now. */
  readonly recent: Map<string, number>;
  /** Connections the kube-proxy-like balancer of the comparison has open to a pod now. */
  connections(app: string, pod: string): number;
  /** Faults to undo in the recovery step. */
  readonly undo: (() => Promise<void> | void)[];
}

const ns = { namespace: SHOP_NAMESPACE };

/**
 * The ready pod of `app`, not already hit by another fault, with traffic in both runs: the most
 * kube-proxy connections pinned to it, then the most of the mesh's answers in the previous step. A
 * fault there is one clients would feel, with the mesh and without it.
 */
function victim(ctx: ScenarioContext, app: string): string {
  const taken = new Set(ctx.watcher.faults.map((f) => f.target));
  const served = (pod: string): number => ctx.recent.get(`${app}/${pod}`) ?? 0;
  const pinned = (pod: string): number => ctx.connections(app, pod);
  const pods = ctx.demo
    .readyPods(app)
    .filter((p) => !taken.has(p) && served(p) > 0)
    .sort((a, b) => pinned(b) - pinned(a) || served(b) - served(a) || a.localeCompare(b));
  const pod = pods[0];
  if (pod === undefined) throw new Error(`no ready ${app} pod to use`);
  return pod;
}

/** The demo's story: steady traffic, then a killed, a hung and a slow pod, then a scale-up, then recovery. */
export function demoScenario(): ScenarioStep[] {
  let slow: FaultRecord | undefined;
  return [
    {
      title: 'steady state',
      explain: 'Three replicas of catalog, cart and order; the gateway spreads every request over the pods.',
      seconds: 4,
      run: async () => 'traffic starts',
    },
    {
      title: 'kill a catalog pod',
      explain:
        'Its node goes silent: connections are refused, so even POSTs are retried on another pod and its breaker\n' +
        'opens after 3 failures. Kubernetes needs 3 failed readiness probes (every 2 s) before the endpoint goes.',
      seconds: 7,
      run: async (ctx) => {
        const pod = victim(ctx, 'catalog');
        await ctx.demo.cluster.pods.kill(pod, ns);
        ctx.watcher.add('kill', 'catalog', pod);
        return `killed ${pod} (${ctx.connections('catalog', pod)} kube-proxy connections on it)`;
      },
    },
    {
      title: 'hang a cart pod',
      explain:
        'It accepts connections and never answers. Each attempt times out after 1 s and idempotent requests are\n' +
        'retried elsewhere; its breaker opens. Without the mesh, connections pinned to it time out until readiness.',
      seconds: 7,
      run: async (ctx) => {
        const pod = victim(ctx, 'cart');
        ctx.demo.cluster.pods.hang(pod, ns);
        ctx.watcher.add('hang', 'cart', pod);
        ctx.undo.push(() => ctx.demo.cluster.pods.restore(pod, ns).catch(() => {}));
        return `hung ${pod} (${ctx.connections('cart', pod)} kube-proxy connections on it)`;
      },
    },
    {
      title: 'slow a catalog pod',
      explain:
        'It answers 150 ms late, health checks too (still within their timeout). Peak-EWMA balancing\nsends it a small share of the traffic instead of a third.',
      seconds: 6,
      run: async (ctx) => {
        const pod = victim(ctx, 'catalog');
        ctx.demo.cluster.pods.slow(pod, 150, ns);
        slow = ctx.watcher.add('slow', 'catalog', pod);
        ctx.answers.clear();
        ctx.undo.push(() => {
          if (slow !== undefined) {
            let total = 0;
            for (const [key, n] of ctx.answers) if (key.startsWith('catalog/')) total += n;
            slow.share = total === 0 ? 0 : (ctx.answers.get(`catalog/${slow.target}`) ?? 0) / total;
            slow.done = true;
          }
          return ctx.demo.cluster.pods.restore(pod, ns).catch(() => {});
        });
        return `slowed ${pod} by 150 ms`;
      },
    },
    {
      title: 'scale order to 5 replicas',
      explain:
        'The Deployment controller adds two pods; the gateway routes to each as soon as its EndpointSlice\nsays it is ready.',
      seconds: 6,
      run: async (ctx) => {
        await ctx.demo.scale('order', 5);
        ctx.watcher.add('scale', 'order', 'order=5');
        return 'scaled deployment/order to 5';
      },
    },
    {
      title: 'recover',
      explain:
        'The hung and slow pods are restored; half-open breakers let a trial request through and close.',
      seconds: 4,
      run: async (ctx) => {
        const undo = ctx.undo.splice(0);
        for (const step of undo) await step();
        return 'restored the hung and slow pods';
      },
    },
  ];
}
