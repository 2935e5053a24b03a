import type { Redis } from 'ioredis';
import type { HealthProbe } from '../app-deps.js';

/** Healthy only while the connection is ready and answers PING. */
export function redisProbe(redis: Redis): HealthProbe {
  return async () => {
    if (redis.status !== 'ready') throw new Error(`redis connection is ${redis.status}`);
    await redis.ping();
  };
}

export function httpProbe(url: string): HealthProbe {
  return async () => {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    if (res.status >= 500) throw new Error(`HTTP ${res.status}`);
  };
}
