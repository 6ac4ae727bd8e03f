import { readFile } from 'node:fs/promises';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDemoConfig } from './pages/demo-config';
import { type DemoServer, demoCustomersFromSeed, displayPhone, startDemoServer } from './server';

const GATEWAY = 'http://127.0.0.1:8787';
const TOKEN = 'test-collect-token';

let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer({ port: 0, gatewayUrl: `${GATEWAY}/`, collectToken: TOKEN });
});

afterAll(async () => {
  await server?.close();
});

function get(path: string): Promise<Response> {
  return fetch(`${server.url}${path}`);
}

/** A request whose path goes out byte for byte (fetch would fold `..` segments first). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startDemoServer', () => {
  it('listens on a free port of 127.0.0.1 and reports its URL', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it.each([
    ['/softphone', 'Contoso Softphone', '/assets/softphone.js'],
    ['/crm', 'Northwind CRM', '/assets/crm.js'],
    ['/crm/contacts', 'Northwind CRM', '/assets/crm.js'],
    ['/shop', 'La Boutique', '/assets/shop.js'],
    ['/shop/product/espresso-pro', 'La Boutique', '/assets/shop.js'],
    ['/shop/search?q=grinder', 'La Boutique', '/assets/shop.js'],
  ])('serves %s as the %s page', async (path, title, script) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const body = await response.text();
    expect(body).toContain(`<title>${title}</title>`);
    expect(body).toContain(`src="${script}"`);
  });

  it('serves an index that links the three pages', async () => {
    const response = await get('/');
    expect(response.status).toBe(200);
    const body = await response.text();
    for (const path of ['/softphone', '/crm', '/shop']) expect(body).toContain(`href="${path}"`);
  });

  it('compiles a page script to browser JavaScript, once', async () => {
    const first = await get('/assets/softphone.js');
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toMatch(/^text\/javascript/);
    const script = await first.text();
    // Bundled: no bare imports left for the browser to resolve, and no TypeScript syntax.
    expect(script).not.toMatch(/^import\s/m);
    expect(script).not.toContain('interface SoftphoneApi');
    expect(() => new Function(script)).not.toThrow();
    expect(script).toContain('caller-number');
    const again = await (await get('/assets/softphone.js')).text();
    expect(again).toBe(script);
  });

  it('serves stylesheets as CSS', async () => {
    const response = await get('/assets/shop.css');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await response.text()).toContain('.activity-status');
  });

  it('lists one demo customer per seed profile in /demo-config.json', async () => {
    const response = await get('/demo-config.json');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const config = parseDemoConfig(await response.json());
    expect(config.gatewayUrl).toBe(GATEWAY);
    expect(config.collectToken).toBe(TOKEN);

    const seed = JSON.parse(
      await readFile(new URL('./seed/customers.json', import.meta.url), 'utf8'),
    ) as { customers: { profile: { id: string } }[] };
    expect(config.customers.map((customer) => customer.id)).toEqual(
      seed.customers.map((customer) => customer.profile.id),
    );
    expect(config.customers[0]).toMatchObject({
      id: 'cust-1001',
      name: 'Jane Doe',
      email: 'jane.doe@example.com',
      phone: '+442079460123',
      phoneDisplay: '+44 20 7946 0123',
    });
    expect(config.customers[0]?.cases.map((item) => item.number)).toEqual(['CAS-1042', 'CAS-0877']);
  });

  it.each([
    '/nothing-here',
    '/softphone/extra',
    '/assets/missing.js',
    '/assets/missing.css',
    '/assets/server.ts',
    '/assets/customers.json',
    '/assets/softphone.ts',
    '/seed/customers.json',
    '/pages/softphone.ts',
  ])('answers 404 for %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
  });

  it.each([
    '/assets/../server.ts',
    '/assets/../../package.json',
    '/assets/..%2f..%2fpackage.json',
    '/assets/%2e%2e/%2e%2e/package.json',
    '/assets/..%5c..%5cpackage.json',
    '/assets/..\\..\\package.json',
    '/crm/../../package.json',
    '/shop/..%2f..%2f..%2fetc%2fpasswd',
  ])('refuses the traversal attempt %s', async (path) => {
    const { status, body } = await rawGet(path);
    expect([400, 404]).toContain(status);
    expect(body).not.toContain('"name": "caller-context"');
    expect(body).not.toContain('startDemoServer');
    expect(body).not.toContain('root:');
  });

  it('stops listening on close()', async () => {
    const other = await startDemoServer({ gatewayUrl: GATEWAY, collectToken: TOKEN });
    expect((await fetch(`${other.url}/`)).status).toBe(200);
    await other.close();
    await expect(fetch(`${other.url}/`)).rejects.toThrow();
  });
});

describe('demo customers', () => {
  it('formats E.164 numbers as a softphone shows them', () => {
    expect(displayPhone('+442079460123')).toBe('+44 20 7946 0123');
    expect(displayPhone('+14155550132')).toBe('+1 415 555 0132');
    expect(displayPhone('not a number')).toBe('not a number');
  });

  it('refuses a seed file without customers', () => {
    expect(() => demoCustomersFromSeed({})).toThrow(/customers/);
  });
});
