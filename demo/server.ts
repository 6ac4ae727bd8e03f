/**
 * Serves the three demo pages (softphone, CRM, storefront), their scripts compiled on request
 * with esbuild, and `/demo-config.json` built from the seed customers.
 *
 * Run alone: `tsx demo/server.ts --gateway http://127.0.0.1:8787 --token demo-site-key --port 8788`
 * (`npm run demo` starts it together with the gateway and the browser). Like a real shop's
 * backend, it signs the signed-in customer's identity for the gateway (`POST /shop/identity-token`,
 * README "Collecting web events"), with `DEMO_SITE_IDENTITY_SECRET` (or the demo's own secret),
 * which the gateway must know under the same variable.
 */
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { getRequestListener } from '@hono/node-server';
import { build } from 'esbuild';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { SignJWT } from 'jose';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';
import { isRecord } from '../shared/json';
import type { DemoCase, DemoConfig, DemoCustomer } from './pages/demo-config';

export interface DemoServerOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Where the storefront sends its web events (`POST ${gatewayUrl}/v1/collect`). */
  gatewayUrl: string;
  /** The storefront's public site key for `/v1/collect`. */
  collectToken: string;
  /** The HS256 secret this "shop backend" signs identity tokens with (the site key's secret). */
  identitySecret?: string;
  /**
   * The IVR key the softphone's IVR panel asks the gateway with. It stays on this server, as an
   * IVR's key stays in the IVR: the page asks `/ivr/lookup` here.
   */
  ivrToken?: string;
}

/** The demo gateway's IVR key (demo/gateway.config.json, `auth.ivrTokens`). */
export const DEMO_IVR_TOKEN = 'demo-ivr-key';
/** Marco Rossi's agent token (demo/gateway.config.json, `auth.agents`): Jane Doe's own manager. */
export const DEMO_MARCO_TOKEN = 'demo-marco-token';

/**
 * The demo's own identity secret for its site key, used when `DEMO_SITE_IDENTITY_SECRET` is not
 * set. Public, like every demo token: a real site keeps its secret on its backend only.
 */
export const DEMO_SITE_IDENTITY_SECRET = 'demo-shop-identity-secret-not-for-production-0123456789';

/** How long an identity token lasts; the gateway takes at most an hour. */
const IDENTITY_TOKEN_SECONDS = 15 * 60;

export interface DemoServer {
  /** e.g. `http://127.0.0.1:41234`, without a trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

const PAGES_DIR = fileURLToPath(new URL('./pages/', import.meta.url));
const SEED_FILE = fileURLToPath(new URL('./seed/customers.json', import.meta.url));

/** One path segment naming a page asset: no dots, slashes or encodings can get through. */
const ASSET_NAME = /^([a-z0-9][a-z0-9-]{0,63})\.(js|css)$/;

const PAGE_FILES = {
  index: 'index.html',
  softphone: 'softphone.html',
  crm: 'crm.html',
  shop: 'shop.html',
} as const;

const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

// ---------------------------------------------------------------------------------------------
// demo-config.json from the seed file

function stringAt(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function firstString(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  if (!Array.isArray(value)) return undefined;
  const first: unknown = value[0];
  return typeof first === 'string' ? first : undefined;
}

/** `+442079460123` -> `+44 20 7946 0123`, the way a softphone shows an incoming number. */
export function displayPhone(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164;
}

function seedCase(value: unknown): DemoCase | undefined {
  if (!isRecord(value)) return undefined;
  const id = stringAt(value, 'id');
  const title = stringAt(value, 'title');
  if (!id || !title) return undefined;
  return {
    id,
    title,
    number: stringAt(value, 'number'),
    status: stringAt(value, 'status'),
    createdAt: stringAt(value, 'createdAt'),
  };
}

function seedCustomer(value: unknown, index: number): DemoCustomer {
  const where = `seed customer #${index + 1}`;
  if (!isRecord(value) || !isRecord(value.profile)) throw new Error(`${where}: no profile`);
  const profile = value.profile;
  const id = stringAt(profile, 'id');
  if (!id) throw new Error(`${where}: the profile has no id`);
  const name =
    stringAt(profile, 'displayName') ??
    [stringAt(profile, 'firstName'), stringAt(profile, 'lastName')].filter(Boolean).join(' ');
  const phone = firstString(profile, 'phones') ?? '';
  const cases = Array.isArray(value.cases) ? value.cases : [];
  return {
    id,
    name: name || id,
    email: firstString(profile, 'emails') ?? '',
    phone,
    phoneDisplay: phone ? displayPhone(phone) : '',
    cases: cases
      .map(seedCase)
      .filter((item): item is DemoCase => item !== undefined)
      .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '')),
  };
}

/** One customer per seed profile, in seed order. */
export function demoCustomersFromSeed(seed: unknown): DemoCustomer[] {
  if (!isRecord(seed) || !Array.isArray(seed.customers)) {
    throw new Error('seed file: expected { "customers": [...] }');
  }
  return seed.customers.map(seedCustomer);
}

export async function loadDemoCustomers(seedFile = SEED_FILE): Promise<DemoCustomer[]> {
  const seed: unknown = JSON.parse(await readFile(seedFile, 'utf8'));
  return demoCustomersFromSeed(seed);
}

// ---------------------------------------------------------------------------------------------
// Page scripts, compiled on first request and kept in memory

function createScriptCompiler(): (name: string) => Promise<string> {
  const compiled = new Map<string, Promise<string>>();
  return (name) => {
    let script = compiled.get(name);
    if (!script) {
      script = compile(name);
      compiled.set(name, script);
      // A failed build (a syntax error while someone edits a page) is retried on next request.
      script.catch(() => compiled.delete(name));
    }
    return script;
  };
}

async function compile(name: string): Promise<string> {
  const result = await build({
    entryPoints: [`${PAGES_DIR}${name}.ts`],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022'],
    write: false,
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'silent',
    // Own settings, so a page build depends neither on the generated .wxt/tsconfig.json nor on
    // the extension's decorator options.
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error(`esbuild produced no output for ${name}.ts`);
  return output.text;
}

function isMissingFile(error: unknown): boolean {
  return (
    isRecord(error) &&
    (error.code === 'ENOENT' || error.code === 'EISDIR' || error.code === 'ENOTDIR')
  );
}

/** esbuild reports a missing entry point as a build error, not as ENOENT. */
function isMissingEntry(error: unknown): boolean {
  return error instanceof Error && /Could not resolve|does not exist/.test(error.message);
}

// ---------------------------------------------------------------------------------------------
// The app

export function createDemoApp(
  config: DemoConfig,
  identitySecret: string = DEMO_SITE_IDENTITY_SECRET,
  ivrToken: string = DEMO_IVR_TOKEN,
): Hono {
  const app = new Hono();
  const compileScript = createScriptCompiler();

  app.use('*', async (c, next) => {
    await next();
    for (const [header, value] of Object.entries(SECURITY_HEADERS)) c.header(header, value);
  });

  // Fetch and Node's URL parser already fold `..` segments, but a path can still arrive raw
  // (a proxy, an HTTP/1.1 client that does not normalize): refuse any dot segment or backslash.
  app.use('*', async (c, next) => {
    const raw = c.req.raw.url.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/)[0] ?? '';
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      return c.text('Bad request', 400);
    }
    if (decoded.includes('\\') || decoded.includes('\0') || /(^|\/)\.\.?(\/|$)/.test(decoded)) {
      return c.text('Not found', 404);
    }
    return next();
  });

  const page = (file: string) => async () => {
    const body = await readFile(`${PAGES_DIR}${file}`, 'utf8');
    return new Response(body, {
      headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-cache' },
    });
  };

  app.get('/', page(PAGE_FILES.index));
  app.get('/softphone', page(PAGE_FILES.softphone));
  app.get('/crm', page(PAGE_FILES.crm));
  app.get('/crm/*', page(PAGE_FILES.crm));
  app.get('/shop', page(PAGE_FILES.shop));
  app.get('/shop/*', page(PAGE_FILES.shop));

  // The shop's backend vouches for its signed-in customer: an HS256 token whose `sub` is the
  // customer's identity, so the gateway stores the shop's events for that customer only. (The
  // demo's "sign in" is a pick from the seed customers; a real shop signs for its session.)
  const secretKey = new TextEncoder().encode(identitySecret);
  app.post('/shop/identity-token', async (c) => {
    let email: unknown;
    try {
      ({ email } = (await c.req.json()) as { email?: unknown });
    } catch {
      return c.json({ error: 'the body must be JSON { "email": "..." }' }, 400);
    }
    const customer = config.customers.find((known) => known.email === email);
    if (!customer) return c.json({ error: 'no such customer is signed in' }, 403);
    const expiresAt = Math.floor(Date.now() / 1000) + IDENTITY_TOKEN_SECONDS;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(`email:${customer.email}`)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(secretKey);
    c.header('Cache-Control', 'no-store');
    return c.json({ token, expiresAt: new Date(expiresAt * 1000).toISOString() });
  });

  // The demo's IVR: asks the gateway who is calling and where to route, as a contact centre's IVR
  // does before the agent's phone rings (README, "IVR"). The softphone page shows the answer.
  app.get('/ivr/lookup', async (c) => {
    const query = new URLSearchParams({ ani: c.req.query('ani') ?? '' });
    const waited = c.req.query('waitedSeconds');
    if (waited) query.set('waitedSeconds', waited);
    try {
      const answer = await fetch(`${config.gatewayUrl}/v1/ivr/lookup?${query}`, {
        headers: { authorization: `Bearer ${ivrToken}` },
        signal: AbortSignal.timeout(5000),
      });
      c.header('Cache-Control', 'no-store');
      return c.body(await answer.text(), answer.status as ContentfulStatusCode, {
        'Content-Type': 'application/json; charset=utf-8',
      });
    } catch {
      return c.json(
        { error: { code: 'gateway_unreachable', message: 'the gateway did not answer' } },
        502,
      );
    }
  });

  app.get('/demo-config.json', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json(config);
  });

  app.get('/assets/:file', async (c) => {
    const match = ASSET_NAME.exec(c.req.param('file'));
    if (!match) return c.notFound();
    const [, name = '', kind] = match;
    try {
      if (kind === 'css') {
        const css = await readFile(`${PAGES_DIR}${name}.css`, 'utf8');
        return c.body(css, 200, {
          'Content-Type': 'text/css; charset=utf-8',
          'Cache-Control': 'no-cache',
        });
      }
      if (!(await stat(`${PAGES_DIR}${name}.ts`)).isFile()) return c.notFound();
      const script = await compileScript(name);
      return c.body(script, 200, {
        'Content-Type': 'text/javascript; charset=utf-8',
        'Cache-Control': 'no-cache',
      });
    } catch (error) {
      if (isMissingFile(error) || isMissingEntry(error)) return c.notFound();
      throw error;
    }
  });

  app.notFound((c) => c.text('Not found', 404));
  app.onError((error, c) => {
    console.error('[demo server]', error);
    return c.text(`Demo server error: ${error.message}`, 500);
  });
  return app;
}

export async function startDemoServer(options: DemoServerOptions): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const config: DemoConfig = {
    gatewayUrl: options.gatewayUrl.replace(/\/+$/, ''),
    collectToken: options.collectToken,
    customers: await loadDemoCustomers(),
  };
  const app = createDemoApp(
    config,
    options.identitySecret ?? process.env.DEMO_SITE_IDENTITY_SECRET ?? DEMO_SITE_IDENTITY_SECRET,
    options.ivrToken ?? DEMO_IVR_TOKEN,
  );
  const server = createServer(getRequestListener(app.fetch));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Browsers keep connections alive; without this, close() waits for them to time out.
        server.closeAllConnections();
      }),
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8788' },
      gateway: { type: 'string', default: 'http://127.0.0.1:8787' },
      token: { type: 'string', default: 'demo-site-key' },
    },
  });
  const server = await startDemoServer({
    host: values.host,
    port: Number(values.port),
    gatewayUrl: values.gateway,
    collectToken: values.token,
  });
  console.log(`Demo pages: ${server.url}/ (softphone, crm, shop)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
