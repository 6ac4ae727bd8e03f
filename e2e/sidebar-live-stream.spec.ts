import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DEMO_COLLECT_TOKEN } from '../demo/stack';
import { expect, ring, sidebarFrame, test } from './fixtures';

/**
 * A loopback proxy in front of the gateway that relays everything (the event stream as it
 * flows) but can refuse the activity polls, so that only the stream can bring an event.
 */
async function startPollBlockingProxy(gatewayUrl: string) {
  const target = new URL(gatewayUrl);
  let blockPolls = false;
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (blockPolls && req.method === 'GET' && req.url?.startsWith('/v1/activity?')) {
      req.resume();
      res.writeHead(503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'unavailable', message: 'polls refused' } }));
      return;
    }
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    blockPolls: () => {
      blockPolls = true;
    },
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}

test('during a call the worker follows the activity stream: an event arrives with every poll refused', async ({
  extension,
  stack,
  configure,
}) => {
  const proxy = await startPollBlockingProxy(stack.gateway.url);
  try {
    await configure({ gatewayUrl: proxy.url });
    const crm = await extension.context.newPage();
    await crm.goto(`${stack.demo.url}/crm`);
    const sidebar = await sidebarFrame(crm);
    await ring(await extension.context.newPage(), stack.demo.url, '+44 20 7946 0123');
    await expect(sidebar.getByRole('heading', { name: 'Jane Doe' })).toBeVisible();
    await expect
      .poll(() => proxy.requests.some((line) => line.startsWith('GET /v1/activity/stream?')))
      .toBe(true);

    // From now on no poll gets through: only the stream can bring what the customer does.
    proxy.blockPolls();
    const response = await fetch(`${stack.gateway.url}/v1/collect`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${DEMO_COLLECT_TOKEN}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        identity: 'email:jane.doe@example.com',
        events: [{ type: 'product_view', title: 'Milk jug, 600 ml', url: '/shop/product/jug' }],
      }),
    });
    expect(response.status).toBe(202);
    const activity = sidebar.getByRole('list', { name: 'Recent web activity' });
    await expect(activity.getByText('Milk jug, 600 ml')).toBeVisible();
    // The polls were refused meanwhile (the sidebar says so), yet the event is there.
    await expect
      .poll(() => proxy.requests.filter((line) => line.startsWith('GET /v1/activity?')).length)
      .toBeGreaterThan(0);
  } finally {
    await proxy.close();
  }
});
