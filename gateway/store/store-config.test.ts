import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../config';
import { MemoryStore } from './memory-store';
import { createStore } from './store-config';

const base = { auth: { tokens: ['t'] }, sources: [{ id: 'demo', type: 'demo' }] };

describe('the store key of the gateway config', () => {
  it('defaults to memory and accepts a Redis URL or the env var that holds it', () => {
    expect(parseGatewayConfig(base).store).toEqual({ type: 'memory' });
    expect(
      parseGatewayConfig({ ...base, store: { type: 'redis', url: 'redis://10.0.0.5:6379/2' } })
        .store,
    ).toEqual({ type: 'redis', url: 'redis://10.0.0.5:6379/2' });
    expect(
      parseGatewayConfig({ ...base, store: { type: 'redis', urlEnv: 'REDIS_URL', prefix: 'cc:' } })
        .store,
    ).toEqual({ type: 'redis', urlEnv: 'REDIS_URL', prefix: 'cc:' });
  });

  it('refuses a password in the file, a missing URL, and unknown keys, naming each key', () => {
    const problems = (store: unknown) => {
      try {
        parseGatewayConfig({ ...base, store });
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(problems({ type: 'redis', url: 'redis://:s3cret@h:6379' })).toContain('store.url');
    expect(problems({ type: 'redis', url: 'redis://:s3cret@h:6379' })).not.toContain('s3cret');
    expect(problems({ type: 'redis' })).toContain('"url" or "urlEnv"');
    expect(problems({ type: 'redis', url: 'http://h' })).toContain('store.url');
    expect(problems({ type: 'memory', url: 'redis://h' })).toContain('store.url: unknown key');
    expect(problems({ type: 'mongo' })).toContain('store:');
  });

  it('creates the store the config names, reading urlEnv from the environment', async () => {
    const memory = createStore({ type: 'memory' });
    expect(memory).toBeInstanceOf(MemoryStore);
    await memory.close();
    expect(() => createStore({ type: 'redis', urlEnv: 'NOPE_URL' }, { env: {} })).toThrow(
      'NOPE_URL is not set',
    );
  });
});
