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
  /** Faults to undo in the recovery step. */
  readonly undo: (() => Promise<void> | void)[];
}

const ns = { namespace: SHOP_NAMESPACE };

/** A ready pod of `app` not already hit by another fault. */
function victim(ctx: ScenarioContext, app: string, index: number): string {
  const taken = new Set(ctx.watcher.faults.map((f) => f.target));
  const pods = ctx.demo.readyPods(app).filter((p) => !taken.has(p));
  const pod = pods[index % Math.max(1, pods.length)];
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
        'Its servers close: connections are refused, so even POSTs are retried on another pod. The breaker opens\n' +
        'after 3 failures; readiness then drops the pod and its Deployment starts a new one.',
      seconds: 7,
      run: async (ctx) => {
        const pod = victim(ctx, 'catalog', 0);
        await ctx.demo.cluster.pods.kill(pod, ns);
        ctx.watcher.add('kill', 'catalog', pod);
        return `killed ${pod}`;
      },
    },
    {
      title: 'hang a cart pod',
      explain:
        'It accepts connections and never answers. Each attempt times out after 1 s and idempotent requests are\n' +
        'retried elsewhere; least-request avoids the pod as requests pile up on it, and its breaker opens.',
      seconds: 7,
      run: async (ctx) => {
        const pod = victim(ctx, 'cart', 1);
        ctx.demo.cluster.pods.hang(pod, ns);
        ctx.watcher.add('hang', 'cart', pod);
        ctx.undo.push(() => ctx.demo.cluster.pods.restore(pod, ns).catch(() => {}));
        return `hung ${pod}`;
      },
    },
    {
      title: 'slow a catalog pod',
      explain:
        'It answers 150 ms late, health checks too (still within their timeout). Peak-EWMA balancing\nsends it a small share of the traffic instead of a third.',
      seconds: 6,
      run: async (ctx) => {
        const pod = victim(ctx, 'catalog', 1);
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
