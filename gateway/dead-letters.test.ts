import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_QUEUE } from './event-store';
import { RedisStore } from './store/redis-store';
import { type PrivateRedis, startPrivateRedis } from './test-support/redis-server';
import { writeConfig } from './test-support/replica-harness';

const run = promisify(execFile);

describe('npm run dead-letters', { timeout: 60_000 }, () => {
  let redis: PrivateRedis;
  let store: RedisStore;
  let config: { file: string; remove(): Promise<void> };

  beforeAll(async () => {
    redis = await startPrivateRedis();
    store = new RedisStore({ url: redis.url });
    await store.ready();
    config = await writeConfig({
      auth: { tokens: ['t'] },
      sources: [{ id: 'demo', type: 'demo' }],
      store: { type: 'redis', url: redis.url },
    });
  });

  afterAll(async () => {
    await store?.close();
    await redis?.stop();
    await config?.remove();
  });

  const cli = (...args: string[]) =>
    run(process.execPath, [
      '--import',
      'tsx',
      'gateway/dead-letters.ts',
      '--config',
      config.file,
      ...args,
    ]);

  it('lists the deliveries that failed for good and puts them back in the queue', async () => {
    const queue = store.queue(DELIVERY_QUEUE);
    const payload = JSON.stringify({ ledger: 'ledger:a:e1', sink: 'segment', event: { id: 'e1' } });
    await queue.add([{ id: 'ledger:a:e1>segment', payload }]);
    const [job] = await queue.claim({ max: 1, leaseMs: 10_000 });
    if (!job) throw new Error('not claimed');
    await queue.bury(job, 'answered 400: bad request');

    const listed = await cli('list');
    const [line] = listed.stdout.trim().split('\n');
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      job: 'ledger:a:e1>segment',
      event: 'e1',
      sink: 'segment',
      attempts: 1,
      reason: 'answered 400: bad request',
    });

    const replayed = await cli('replay');
    expect(replayed.stdout).toContain('1 delivery back in the queue');
    expect(await queue.counts()).toEqual({ queued: 1, dead: 0 });
  });
});
