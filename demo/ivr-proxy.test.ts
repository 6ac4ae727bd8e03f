import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IvrAnswer } from '../gateway/ivr/ivr-lookup';
import { type DemoStack, startDemoStack } from './stack';

let stack: DemoStack;
beforeAll(async () => {
  stack = await startDemoStack({ gatewayPort: 0, demoPort: 0, quiet: true });
});
afterAll(() => stack?.close());

describe("the demo server's IVR", () => {
  it('asks the gateway with the IVR key, which the page never sees', async () => {
    const res = await fetch(
      `${stack.demo.url}/ivr/lookup?ani=${encodeURIComponent('+44 20 7946 0123')}`,
    );
    expect(res.status).toBe(200);
    const answer = (await res.json()) as IvrAnswer;
    expect(answer).toMatchObject({
      firstName: 'Jane',
      latestCase: { number: 'CAS-1042' },
      route: { reason: 'own_manager_unavailable', queue: 'general' },
    });
    const config = await (await fetch(`${stack.demo.url}/demo-config.json`)).text();
    expect(config).not.toContain('demo-ivr-key');
  });

  it('passes a bad number on as the 400 it is', async () => {
    const res = await fetch(`${stack.demo.url}/ivr/lookup?ani=hello`);
    expect(res.status).toBe(400);
  });
});
