import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActivityCollector, type ActivityStatus, type WebEvent } from './shop-activity';

const VIEW: WebEvent = {
  type: 'page_view',
  title: 'Returns and replacements',
  url: '/shop/returns',
};
const PRODUCT: WebEvent = {
  type: 'product_view',
  title: 'Drip tray for Espresso Pro',
  url: '/shop/product/drip-tray',
  value: 19,
  currency: 'GBP',
};

afterEach(() => {
  vi.unstubAllGlobals();
});

function collector() {
  const statuses: ActivityStatus[] = [];
  const instance = new ActivityCollector(
    { gatewayUrl: 'http://gateway.test', collectToken: 'site-key' },
    (status) => statuses.push(status),
  );
  return { instance, statuses };
}

describe('ActivityCollector', () => {
  it('posts the events for the email identity with the bearer token, and counts them', async () => {
    const fetchMock = vi.fn(async () => new Response(null, { status: 202 }));
    vi.stubGlobal('fetch', fetchMock);
    const { instance } = collector();

    await instance.send('jane.doe@example.com', [VIEW, PRODUCT]);

    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('http://gateway.test/v1/collect');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer site-key');
    expect(JSON.parse(String(init.body))).toEqual({
      identity: 'email:jane.doe@example.com',
      events: [VIEW, PRODUCT],
    });
    expect(instance.status).toEqual({ sent: 2, failed: 0, lastError: undefined });
  });

  it('counts refused events apart, with the gateway’s reason', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json(
          { error: { code: 'unauthorized', message: 'unknown token' } },
          { status: 401 },
        ),
      ),
    );
    const { instance, statuses } = collector();

    await instance.send('jane.doe@example.com', [VIEW]);

    expect(statuses.at(-1)).toEqual({
      sent: 0,
      failed: 1,
      lastError: 'the gateway refused the events (401: unknown token)',
    });
  });

  it('counts events it could not deliver when the gateway is unreachable', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    const { instance } = collector();

    await instance.send('jane.doe@example.com', [VIEW, PRODUCT]);

    expect(instance.status.failed).toBe(2);
    expect(instance.status.lastError).toMatch(/could not be reached/);
  });
});
