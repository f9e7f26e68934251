import { describe, expect, it } from 'vitest';
import { IpAllocator } from './ipAllocator.js';

function octets(ip: string): number[] {
  return ip.split('.').map(Number);
}

describe('IpAllocator', () => {
  it('hands out unique loopback addresses in 127.1.0.1-127.254.255.254, never 127.0.0.1', () => {
    const allocator = new IpAllocator();
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const ip = allocator.allocate();
      const [a, b, c, d] = octets(ip);
      expect(a).toBe(127);
      expect(b).toBeGreaterThanOrEqual(1);
      expect(b).toBeLessThanOrEqual(254);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(255);
      expect(d).toBeGreaterThanOrEqual(1);
      expect(d).toBeLessThanOrEqual(254);
      expect(seen.has(ip)).toBe(false);
      seen.add(ip);
    }
    expect(allocator.size).toBe(2000);
  });

  it('covers both ends of the range', () => {
    expect(new IpAllocator({ random: () => 0 }).allocate()).toBe('127.1.0.1');
    expect(new IpAllocator({ random: () => 0.999_999_999_9 }).allocate()).toBe('127.254.255.254');
  });

  it('draws again when an address is taken, and reuses released ones', () => {
    const draws = [0, 0, 0, 0, 0, 0, 0.5, 0.5, 0.5];
    const allocator = new IpAllocator({ random: () => draws.shift() ?? 0 });
    expect(allocator.allocate()).toBe('127.1.0.1');
    const second = allocator.allocate();
    expect(second).not.toBe('127.1.0.1');
    allocator.release('127.1.0.1');
    expect(allocator.reserve('127.1.0.1')).toBe(true);
    expect(allocator.reserve('127.1.0.1')).toBe(false);
  });

  it('only reserves addresses of the pod range', () => {
    const allocator = new IpAllocator();
    expect(allocator.reserve('127.0.0.1')).toBe(false);
    expect(allocator.reserve('10.0.0.1')).toBe(false);
    expect(allocator.reserve('127.9.9.9')).toBe(true);
  });
});
