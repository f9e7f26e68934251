/**
 * Tail latency with one of three pods 50 ms slower (`cluster.pods.slow`): client-seen latency of GET
 * requests through `svc.fetch()` at a steady rate, under round-robin, least-request (P2C) and
 * peak-EWMA (P2C). p99 is what the issue asks about; the ratio column compares p99s to round-robin.
 */
import { createMockCluster } from '@kubesmart/mock';
import type { BalancerName } from '../src/index.js';
import { createKubeSmart } from '../src/index.js';
import { deployApp, waitInStep } from '../test/meshCluster.js';
import { latencies, type Row, type Section, stats } from './harness.js';
import { openLoop } from './meshFixtures.js';

const RATE = 200;
const WARMUP_MS = 500;
const DURATION_MS = 3_000;
const SLOW_MS = 50;
const APP = 'tail';

const ms = (ns: number): string => (ns / 1e6).toFixed(1);

export async function tailLatencyBench(): Promise<Section> {
  const cluster = await createMockCluster();
  const ks = createKubeSmart({ kubeConfig: cluster.kubeConfig });
  try {
    await deployApp(cluster, APP, { replicas: 3 });
    const rows: Row[] = [];
    const shares: string[] = [];
    let slowPod: string | undefined;
    const balancers: BalancerName[] = ['round-robin', 'least-request', 'peak-ewma'];
    for (const balancer of balancers) {
      const svc = ks.service(APP, { balancer });
      await waitInStep(cluster, svc, 3);
      if (slowPod === undefined) {
        slowPod = svc.endpoints()[0]!.endpoint.pod!;
        cluster.pods.slow(slowPod, SLOW_MS);
      }
      const send = async (): Promise<string | undefined> => {
        const response = await svc.fetch('/work');
        await response.arrayBuffer();
        return response.endpoint.pod;
      };
      await openLoop(RATE, WARMUP_MS, send);
      const { outcomes, opsPerSecond } = await openLoop(RATE, DURATION_MS, send);
      const failed = outcomes.filter((o) => o.error !== undefined).length;
      const toSlow = outcomes.filter((o) => o.value === slowPod).length;
      const share = `${((100 * toSlow) / outcomes.length).toFixed(1)}%`;
      shares.push(`${balancer} ${share}`);
      rows.push({
        name: balancer,
        measurement: latencies(outcomes.map((o) => o.latencyNs)),
        opsPerSecond,
        ...(rows.length === 0 ? {} : { baseline: rows[0]!.name }),
        note: `${outcomes.length} requests, ${share} to the slow pod${failed ? `, ${failed} failed` : ''}`,
      });
      await svc.close();
    }
    const p99 = (name: string): number =>
      stats(rows.find((r) => r.name === name)!.measurement.samplesNs).p99Ns;
    const best = rows.reduce((a, b) => (p99(b.name) < p99(a.name) ? b : a));
    return {
      heading: `Tail latency with one of 3 pods ${SLOW_MS} ms slower`,
      text:
        `Fake pods of a Deployment on the emulator; one answers every request ${SLOW_MS} ms late. Per balancer, a fresh service sends ${RATE} ` +
        `GET per second (open loop) through svc.fetch(): ${WARMUP_MS} ms of warm-up, then ${DURATION_MS / 1000} s measured. ` +
        'Each row: latency of every measured request; ops/s: requests completed per second; ratio of p99s to round-robin.',
      rows,
      ratioOf: 'p99',
      verdicts: [
        `p99: ${rows.map((r) => `${r.name} ${ms(p99(r.name))} ms`).join(', ')}; lowest: ${best.name}.`,
        `share of requests sent to the slow pod: ${shares.join(', ')}. A p99 under ${SLOW_MS} ms needs that share under 1%.`,
      ],
    };
  } finally {
    await ks.close();
    await cluster.close();
  }
}
