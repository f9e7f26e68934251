export interface IpAllocatorOptions {
  /**
   * Source of randomness in [0, 1), used to spread addresses over 127.1.0.1-127.254.255.254 so
   * emulators in parallel processes rarely pick the same one.
   * @default Math.random
   */
  random?: () => number;
}

const MAX_DRAWS = 1000;

function isPodRange(ip: string): boolean {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return false;
  const [a, b, , d] = parts as [number, number, number, number];
  return a === 127 && b >= 1 && b <= 254 && d >= 1 && d <= 254;
}

/**
 * Hands out pod IPs: unique loopback addresses in 127.1.0.1-127.254.255.254 (never 127.0.0.1),
 * drawn pseudo-randomly. All of 127.0.0.0/8 is local on Linux, so each pod can listen on its own
 * address without any network setup.
 */
export class IpAllocator {
  readonly #inUse = new Set<string>();
  readonly #random: () => number;

  constructor(options: IpAllocatorOptions = {}) {
    this.#random = options.random ?? Math.random;
  }

  /** A fresh address no other pod of this allocator holds. */
  allocate(): string {
    for (let i = 0; i < MAX_DRAWS; i++) {
      const ip = `127.${this.#pick(1, 254)}.${this.#pick(0, 255)}.${this.#pick(1, 254)}`;
      if (!this.#inUse.has(ip)) {
        this.#inUse.add(ip);
        return ip;
      }
    }
    throw new Error(`no free pod IP found after ${MAX_DRAWS} draws (${this.#inUse.size} in use)`);
  }

  /**
   * Claims a given address (a pod that already has `status.podIP`, e.g. after a restart of the
   * emulator). Returns false when it is taken or outside the pod range.
   */
  reserve(ip: string): boolean {
    if (!isPodRange(ip) || this.#inUse.has(ip)) return false;
    this.#inUse.add(ip);
    return true;
  }

  release(ip: string): void {
    this.#inUse.delete(ip);
  }

  get size(): number {
    return this.#inUse.size;
  }

  #pick(min: number, max: number): number {
    const r = Math.min(Math.max(this.#random(), 0), 0.999_999_999);
    return min + Math.floor(r * (max - min + 1));
  }
}
