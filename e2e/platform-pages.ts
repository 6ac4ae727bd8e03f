import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const FIXTURES = resolve(import.meta.dirname, '..', 'extension', 'detect', 'fixtures');

/**
 * Vendor hostnames the tests open, all resolved to loopback by Chromium
 * (`--host-resolver-rules`), so the built extension's declared content-script matches (the real
 * vendor domains) are what decides, and no request leaves the machine.
 */
export const VENDOR_HOSTS = [
  'acme.my.connect.aws',
  'flex.twilio.com',
  'contoso.crm.dynamics.com',
  'acme.zendesk.com',
  'apps.mypurecloud.com',
  // The built-in CRM platforms' tenant hostnames (extension/frame/crm-platforms.ts).
  'contoso.crm4.dynamics.com',
  'acme.lightning.force.com',
  'app.hubspot.com',
  'acme.service-now.com',
  'acme.freshdesk.com',
  // An in-house CRM no built-in list names (the enterprise package's case).
  'crm.acme-intranet.test',
  // The softphone of docs/deploy.md's example policy.
  'phone.example.com',
  // No detector's domain: the same pages without the content script (benchmarks compare).
  'unmatched.example.test',
];

export interface PlatformPages {
  /** e.g. `https://acme.my.connect.aws:41234`; serves every fixture at `/<id>.html` and below. */
  origin(host: string): string;
  /** The plain-HTTP loopback origin for an in-house page (admin rules). */
  loopback: string;
  chromiumArgs: string[];
  close(): Promise<void>;
}

/** A throwaway self-signed certificate (openssl ships with every Debian/Ubuntu image). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'caller-context-tls-'));
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

const IN_HOUSE_PHONE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Phone</title></head>
<body><main><h1>Acme Phone</h1><div id="incoming" hidden><span class="who"></span></div></main></body></html>`;

/**
 * A CRM page as the test asks for it, served at any path under `/crm/` on any host: not a copy of
 * any vendor's markup (none is published), but the ways real CRM pages treat injected UI.
 * - `layout=shell`: an app shell (Dynamics 365, Lightning, ServiceNow): `overflow: hidden` on the
 *   root, a fixed full-viewport layout whose panels scroll, a Save button at the right edge;
 *   `layout=scroll` (default): a page that scrolls, with a fixed header across its width.
 * - `csp=strict`: a Content-Security-Policy whose `frame-src` names only the page's own origin.
 * - `dir=rtl`: a right-to-left page.
 * - `embed=<url>`: a softphone in an iframe of the page (a CTI adapter's frame).
 * - `srcdoc=1`: a softphone the page writes into a srcdoc frame itself.
 * Its script (`/crm-page.js`, same origin, so a strict CSP allows it) offers `window.crm` with
 * what single-page apps do to the DOM.
 */
function crmPage(url: URL): { body: string; headers: Record<string, string> } {
  const shell = url.searchParams.get('layout') === 'shell';
  const rtl = url.searchParams.get('dir') === 'rtl';
  const embed = url.searchParams.get('embed');
  const srcdoc = url.searchParams.get('srcdoc') === '1';
  const style = shell
    ? `html, body { overflow: hidden; height: 100%; margin: 0; }
       #app { position: fixed; inset: 0; display: flex; flex-direction: column; }
       #app header { height: 48px; display: flex; align-items: center; justify-content: space-between; background: #1b3a5c; color: #fff; }
       #app .panel { flex: 1; overflow: auto; }`
    : `body { margin: 0; } header { position: fixed; top: 0; left: 0; right: 0; height: 48px;
       display: flex; align-items: center; justify-content: space-between; background: #1b3a5c; color: #fff; z-index: 10; }
       .panel { padding-top: 56px; min-height: 2400px; }`;
  const phone = `<!doctype html><html><body><div id="incoming" hidden>Incoming call from <span class="who"></span></div></body></html>`;
  const frames = [
    embed
      ? `<iframe id="softphone" title="Softphone" src="${embed.replace(/"/g, '&quot;')}" style="width:320px;height:240px"></iframe>`
      : '',
    srcdoc
      ? `<iframe id="softphone-srcdoc" title="Softphone" srcdoc="${phone.replace(/"/g, '&quot;')}" style="width:320px;height:120px"></iframe>`
      : '',
  ].join('');
  const body = `<!doctype html><html lang="${rtl ? 'ar' : 'en'}" dir="${rtl ? 'rtl' : 'ltr'}"><head><meta charset="utf-8"><title>Acme CRM</title>
<style>${style}
  #toast { position: fixed; top: 60px; right: 0; width: 300px; z-index: 2147483647; background: #fffbe6; }
</style><script src="/crm-page.js"></script></head>
<body><div id="app"><header><h1>Acme CRM</h1><button id="save" type="button">Save</button></header>
<div class="panel"><main><p>Case list</p>${frames}</main></div></div>
<div id="toast" role="status">Saved</div></body></html>`;
  const headers: Record<string, string> = { 'content-type': 'text/html; charset=utf-8' };
  if (url.searchParams.get('csp') === 'strict')
    headers['content-security-policy'] =
      "default-src 'self'; frame-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'";
  return { body, headers };
}

/** What single-page apps do to the DOM, for the tests to call. */
const CRM_PAGE_SCRIPT = `
window.crm = {
  saved: 0,
  /** A framework re-rendering the whole body. */
  rerenderBody() {
    document.body.replaceChildren(...document.body.cloneNode(true).childNodes);
  },
  /** A framework re-creating the document element's children (head and body). */
  replaceRootChildren() {
    const head = document.head.cloneNode(true);
    const body = document.body.cloneNode(true);
    document.documentElement.replaceChildren(head, body);
  },
  /** A framework resetting the root's inline style. */
  resetRootStyle() {
    document.documentElement.setAttribute('style', '');
  },
};
document.addEventListener('click', (event) => {
  if (event.target instanceof Element && event.target.id === 'save') window.crm.saved += 1;
});
`;

/** The softphone docs/deploy.md's example rule describes (`.incoming-call .caller-number`). */
const EXAMPLE_PHONE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Example Phone</title></head>
<body><main><h1>Example Phone</h1><div class="incoming-call" hidden>Incoming call
<span class="caller-number"></span></div></main></body></html>`;

function serve(request: IncomingMessage, response: ServerResponse): void {
  const url = new URL(request.url ?? '/', 'http://x');
  const path = url.pathname;
  if (path.startsWith('/crm/')) {
    const page = crmPage(url);
    response.writeHead(200, page.headers).end(page.body);
    return;
  }
  if (path === '/crm-page.js') {
    response
      .writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' })
      .end(CRM_PAGE_SCRIPT);
    return;
  }
  if (path === '/example-phone') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(EXAMPLE_PHONE);
    return;
  }
  if (path === '/in-house-phone') {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(IN_HOUSE_PHONE);
    return;
  }
  // Any path ending in /<fixture>.html serves that fixture (e.g. /ccp-v2/amazon-connect.html).
  const name = /\/([a-z0-9-]+\.html)$/.exec(path)?.[1];
  try {
    if (!name) throw new Error('not a fixture');
    const body = readFileSync(join(FIXTURES, name));
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  } catch {
    response.writeHead(404).end('not found');
  }
}

export async function startPlatformPages(): Promise<PlatformPages> {
  const https = createHttpsServer(selfSignedCertificate(), serve);
  const http = createHttpServer(serve);
  await Promise.all(
    [https, http].map((s) => new Promise<void>((done) => s.listen(0, '127.0.0.1', done))),
  );
  const httpsPort = (https.address() as AddressInfo).port;
  const httpPort = (http.address() as AddressInfo).port;
  return {
    origin: (host) => `https://${host}:${httpsPort}`,
    loopback: `http://127.0.0.1:${httpPort}`,
    chromiumArgs: [
      `--host-resolver-rules=${VENDOR_HOSTS.map((h) => `MAP ${h} 127.0.0.1`).join(',')}`,
      '--ignore-certificate-errors',
    ],
    close: () =>
      Promise.all(
        [https, http].map((s) => new Promise<void>((done) => s.close(() => done()))),
      ).then(() => {}),
  };
}
