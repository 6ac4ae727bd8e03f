import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../shared/model';
import { DEMO_AGENT_TOKEN, DEMO_SITE_KEY, type DemoStack, startDemoStack } from './stack';

describe('the demo shop posts its web events the way a real site must', { timeout: 30_000 }, () => {
  let stack: DemoStack;

  beforeAll(async () => {
    stack = await startDemoStack({ gatewayPort: 0, quiet: true });
  });

  afterAll(async () => {
    await stack?.close();
  });

  const tokenFor = (email: string) =>
    fetch(`${stack.demo.url}/shop/identity-token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email }),
    });

  const collect = (body: unknown) =>
    fetch(`${stack.gateway.url}/v1/collect`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${DEMO_SITE_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  it("stores the signed-in customer's events with the token the shop's server signed", async () => {
    const response = await tokenFor('jane.doe@example.com');
    expect(response.status).toBe(200);
    const { token } = (await response.json()) as { token: string };
    const posted = await collect({
      identity: 'email:jane.doe@example.com',
      identityToken: token,
      events: [{ type: 'product_view', title: 'Descaling kit' }],
    });
    expect(posted.status).toBe(202);
    const activity = await fetch(
      `${stack.gateway.url}/v1/activity?identity=${encodeURIComponent('phone:+442079460123')}`,
      { headers: { Authorization: `Bearer ${DEMO_AGENT_TOKEN}` } },
    );
    const { events } = (await activity.json()) as { events: ActivityEvent[] };
    expect(events.map((event) => event.title)).toContain('Descaling kit');
  });

  it('signs for no one but a known customer, and the site key posts nothing without a token', async () => {
    expect((await tokenFor('stranger@example.com')).status).toBe(403);
    const unsigned = await collect({
      identity: 'email:jane.doe@example.com',
      events: [{ type: 'page_view', title: 'Account recovery: caller verified by SMS' }],
    });
    expect(unsigned.status).toBe(401);
  });
});
