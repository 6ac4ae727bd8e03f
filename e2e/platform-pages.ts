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

function serve(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://x').pathname;
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
