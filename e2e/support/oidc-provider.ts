import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeOidcProvider {
  url: string;
  /** Access tokens in the order they were issued. */
  issued: string[];
  /** Grant types the token endpoint received, in order. */
  grants: string[];
  close(): Promise<void>;
}

/**
 * An OpenID Connect provider on loopback that approves every sign-in at once, checks PKCE as a
 * real one does (RFC 7636, S256), and issues numbered access tokens (`<prefix>-1`, `-2`, ...).
 */
export async function startFakeOidcProvider(options: { tokenPrefix: string; expiresIn: number }) {
  const codes = new Map<string, { challenge: string; redirectUri: string; clientId: string }>();
  const provider: Omit<FakeOidcProvider, 'url' | 'close'> = { issued: [], grants: [] };
  let url = '';

  const issue = (res: ServerResponse) => {
    const token = `${options.tokenPrefix}-${provider.issued.length + 1}`;
    provider.issued.push(token);
    const claims = Buffer.from(JSON.stringify({ name: 'Alex Agent', sub: 'agent-1' })).toString(
      'base64url',
    );
    json(res, 200, {
      access_token: token,
      token_type: 'Bearer',
      expires_in: options.expiresIn,
      refresh_token: `refresh-${provider.issued.length}`,
      id_token: `e30.${claims}.signature`,
    });
  };

  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', url);
    res.setHeader('access-control-allow-origin', '*');
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-headers', 'content-type, accept');
      res.writeHead(204).end();
      return;
    }
    if (u.pathname === '/.well-known/openid-configuration') {
      json(res, 200, {
        issuer: url,
        authorization_endpoint: `${url}/authorize`,
        token_endpoint: `${url}/token`,
      });
      return;
    }
    if (u.pathname === '/authorize') {
      const p = u.searchParams;
      const redirectUri = p.get('redirect_uri') ?? '';
      if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge')) {
        res.writeHead(400).end('PKCE required');
        return;
      }
      const code = `code-${codes.size + 1}`;
      codes.set(code, {
        challenge: p.get('code_challenge') ?? '',
        redirectUri,
        clientId: p.get('client_id') ?? '',
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', p.get('state') ?? '');
      res.writeHead(302, { location: back.href }).end();
      return;
    }
    if (u.pathname === '/token' && req.method === 'POST') {
      const form = new URLSearchParams(await text(req));
      const grant = form.get('grant_type') ?? '';
      provider.grants.push(grant);
      if (grant === 'authorization_code') {
        const pending = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        if (
          !pending ||
          pending.challenge !== challenge ||
          pending.redirectUri !== form.get('redirect_uri')
        ) {
          json(res, 400, {
            error: 'invalid_grant',
            error_description: 'PKCE or redirect mismatch',
          });
          return;
        }
        codes.delete(form.get('code') ?? '');
        issue(res);
        return;
      }
      if (grant === 'refresh_token' && form.get('refresh_token')?.startsWith('refresh-')) {
        issue(res);
        return;
      }
      json(res, 400, { error: 'unsupported_grant_type' });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    ...provider,
    url,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  } satisfies FakeOidcProvider;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function text(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
}
