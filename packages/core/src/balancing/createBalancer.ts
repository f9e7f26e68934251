import { InvalidArgumentError } from '../errors.js';
import type { Clock, Random } from '../types.js';
import type { Balancer, BalancerName } from './balancer.js';
import { ConsistentHashBalancer } from './consistentHash.js';
import { LeastRequestBalancer } from './leastRequest.js';
import { PeakEwmaBalancer } from './peakEwma.js';
import { RandomBalancer } from './randomBalancer.js';
import { RoundRobinBalancer } from './roundRobin.js';
import { ZonePreferenceBalancer, type ZonePreferenceOptions } from './zonePreference.js';

export interface BalancerOptions {
  /**
   * Which balancer.
   * @default 'least-request'
   */
  type?: BalancerName;
  /**
   * Prefer this zone (or these zone options) and spill over to others; see `ZonePreferenceBalancer`.
   * @default undefined (no zone preference)
   */
  zone?: string | ZonePreferenceOptions;
  /**
   * Points per endpoint on the ring, for `consistent-hash`.
   * @default 100
   */
  virtualNodes?: number;
  /** @default Math.random */
  random?: Random;
  /** Time source, for `peak-ewma`. @default systemClock */
  clock?: Clock;
}

const NAMES: readonly BalancerName[] = Object.freeze([
  'round-robin',
  'random',
  'least-request',
  'peak-ewma',
  'consistent-hash',
]);

/** Builds a balancer from its name or options, optionally wrapped with zone preference. */
export function createBalancer(spec?: BalancerName | BalancerOptions): Balancer {
  const options: BalancerOptions = typeof spec === 'string' ? { type: spec } : (spec ?? {});
  const type = options.type ?? 'least-request';
  const inner = createBase(type, options);
  if (options.zone === undefined) return inner;
  const zone = typeof options.zone === 'string' ? { zone: options.zone } : options.zone;
  return new ZonePreferenceBalancer(inner, zone);
}

function createBase(type: BalancerName, options: BalancerOptions): Balancer {
  const random = options.random === undefined ? {} : { random: options.random };
  switch (type) {
    case 'round-robin':
      return new RoundRobinBalancer(random);
    case 'random':
      return new RandomBalancer(random);
    case 'least-request':
      return new LeastRequestBalancer(random);
    case 'peak-ewma':
      return new PeakEwmaBalancer({
        ...random,
        ...(options.clock === undefined ? {} : { clock: options.clock }),
      });
    case 'consistent-hash':
      return new ConsistentHashBalancer({
        ...random,
        ...(options.virtualNodes === undefined ? {} : { virtualNodes: options.virtualNodes }),
      });
    default:
      throw new InvalidArgumentError(
        `Unknown balancer '${String(type)}'. Use one of: ${NAMES.join(', ')}, or pass your own Balancer.`,
      );
  }
}
