import { percentile } from './stats';

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

export interface LoadOptions {
  url: string;
  headers?: Record<string, string>;
  /** Requests in flight at once, each on its own keep-alive connection. */
  concurrency?: number;
  /** Stop after this many measured requests... */
  maxRequests?: number;
  /** ...or after this long, whichever comes first. */
  maxMs?: number;
  /** Unmeasured requests first, so connections are open and code paths are compiled. */
  warmup?: number;
}

/**
 * A small autocannon-like load loop on Node's fetch (undici, keep-alive by default): a fixed
 * number of workers, each sending its next request as soon as the last one's body is read.
 * Bounded in count and in time; loopback only.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { url, headers = {}, concurrency = 32, maxRequests = 20_000, maxMs = 8000 } = options;
  if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\])[:/]/.test(url))
    throw new Error('load only ever goes to loopback');
  const once = async (): Promise<boolean> => {
    const response = await fetch(url, { headers });
    await response.arrayBuffer();
    return response.ok;
  };
  for (let i = 0; i < (options.warmup ?? 500); i += concurrency)
    await Promise.all(Array.from({ length: concurrency }, once));

  const latencies: number[] = [];
  let failures = 0;
  let started = 0;
  const begin = performance.now();
  const deadline = begin + maxMs;
  const worker = async () => {
    while (started < maxRequests && performance.now() < deadline) {
      started += 1;
      const t0 = performance.now();
      const ok = await once().catch(() => false);
      latencies.push(performance.now() - t0);
      if (!ok) failures += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - begin) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    requests: sorted.length,
    seconds: round(seconds),
    perSecond: Math.round(sorted.length / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    failures,
  };
}
