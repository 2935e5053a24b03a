import { describe, expect, it } from 'vitest';
import { ExpiringMap } from '../../src/services/expiring-map.js';

describe('ExpiringMap', () => {
  it('forgets entries after their time to live and evicts the oldest beyond its size', () => {
    let now = 1000;
    const m = new ExpiringMap<string, number>({ max: 2, ttlMs: 100, now: () => now });
    m.set('a', 1);
    now += 50;
    m.set('b', 2);
    expect([m.get('a'), m.get('b')]).toEqual([1, 2]);
    now += 60;
    expect(m.has('a')).toBe(false);
    expect(m.get('b')).toBe(2);
    m.set('c', 3);
    m.set('d', 4);
    expect([m.get('b'), m.get('c'), m.get('d')]).toEqual([undefined, 3, 4]);
    m.set('c', 5);
    m.set('e', 6);
    expect([m.get('c'), m.get('d'), m.get('e')]).toEqual([5, undefined, 6]);
    m.delete('e');
    expect(m.size).toBe(1);
  });
});
