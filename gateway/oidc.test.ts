import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway } from './app';
import { silentLogger } from './request-log';
import { demoConfig } from './test-support/fixtures';

/** An identity provider on loopback: discovery document and JWKS, as a real issuer serves them. */
function identityProvider(jwks: { keys: JWK[] }): Promise<Server> {
  const server = createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    const issuer = `http://127.0.0.1:${port}`;
    response.setHeader('content-type', 'application/json');
    if (request.url === '/.well-known/openid-configuration')
      return response.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/keys` }));
    if (request.url === '/keys') return response.end(JSON.stringify(jwks));
    response.writeHead(404).end('{}');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('OIDC sign-in at the gateway', { timeout: 20_000 }, () => {
  let idp: Server;
  let issuer: string;
  let signingKey: CryptoKey;
  let strangerKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    signingKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    idp = await identityProvider({ keys: [publicJwk] });
    issuer = `http://127.0.0.1:${(idp.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    idp?.closeAllConnections();
    await new Promise((resolve) => idp?.close(resolve));
  });

  const token = (
    claims: { iss?: string; aud?: string; exp?: number },
    key: CryptoKey = signingKey,
  ) =>
    new SignJWT({ name: 'Agent Smith' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setSubject('agent-1')
      .setIssuer(claims.iss ?? issuer)
      .setAudience(claims.aud ?? 'api://caller-context')
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '5m')
      .sign(key);

  const gateway = () =>
    createGateway(
      demoConfig({
        auth: { tokens: ['demo-token'], oidc: { issuer, audience: 'api://caller-context' } },
      }),
      { logger: silentLogger },
    );

  const ask = (app: ReturnType<typeof gateway>['app'], bearer: string) =>
    app.request('/v1/context?identity=phone:%2B442079460123', {
      headers: { Authorization: `Bearer ${bearer}` },
    });

  it('lets an agent in with a token signed by the issuer, found through discovery', async () => {
    const response = await ask(gateway().app, await token({}));
    expect(response.status).toBe(200);
  });

  it('refuses a wrong audience, another issuer, an expired token or a stranger signature', async () => {
    const { app } = gateway();
    const cases: [string, string][] = [
      [await token({ aud: 'api://other' }), "the token's aud claim is not accepted here"],
      [await token({ iss: 'https://evil.example' }), "the token's iss claim is not accepted here"],
      [await token({ exp: Math.floor(Date.now() / 1000) - 600 }), 'the token has expired'],
      [await token({}, strangerKey), 'the signature does not verify'],
      ['not-a-jwt', 'not a JWT'],
    ];
    for (const [bearer, reason] of cases) {
      const response = await ask(app, bearer);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        `the bearer token is not valid: ${reason}`,
      );
    }
  });

  const bare = (claims: Record<string, unknown>, build: (jwt: SignJWT) => SignJWT = (j) => j) =>
    build(
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
        .setIssuer(issuer)
        .setAudience('api://caller-context')
        .setIssuedAt(),
    ).sign(signingKey);

  it('refuses a token without an expiry or without a subject', async () => {
    const { app } = gateway();
    const noExp = await bare({}, (jwt) => jwt.setSubject('agent-1'));
    const noSub = await bare({}, (jwt) => jwt.setExpirationTime('5m'));
    for (const [bearer, reason] of [
      [noExp, 'the token has no exp claim'],
      [noSub, 'the token has no sub claim'],
    ] as const) {
      const response = await ask(app, bearer);
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        `the bearer token is not valid: ${reason}`,
      );
    }
  });

  it('with requiredRole, lets in only tokens that carry the role (roles) or scope (scp, scope)', async () => {
    const { app } = createGateway(
      demoConfig({
        auth: {
          tokens: ['demo-token'],
          oidc: { issuer, audience: 'api://caller-context', requiredRole: 'CallerContext.Agent' },
        },
      }),
      { logger: silentLogger },
    );
    const withClaims = (claims: Record<string, unknown>) =>
      bare(claims, (jwt) => jwt.setSubject('agent-1').setExpirationTime('5m'));
    expect((await ask(app, await withClaims({ roles: ['CallerContext.Agent'] }))).status).toBe(200);
    expect((await ask(app, await withClaims({ scp: 'openid CallerContext.Agent' }))).status).toBe(
      200,
    );
    expect((await ask(app, await withClaims({ scope: 'CallerContext.Agent' }))).status).toBe(200);
    const without = await ask(app, await withClaims({ roles: ['Reader'], scp: 'openid' }));
    expect(without.status).toBe(401);
    expect(((await without.json()) as { error: { message: string } }).error.message).toBe(
      'the bearer token is not valid: the token does not carry the role CallerContext.Agent',
    );
  });

  it('names the agent by the token subject in the log, never the token', async () => {
    const lines: Record<string, unknown>[] = [];
    const { app } = createGateway(
      demoConfig({
        auth: { tokens: ['demo-token'], oidc: { issuer, audience: 'api://caller-context' } },
      }),
      { logger: { info: (msg, fields) => lines.push({ msg, ...fields }), error() {} } },
    );
    const bearer = await token({});
    await ask(app, bearer);
    const request = lines.find((line) => line.msg === 'request');
    expect(request?.principal).toBe('oidc:agent-1');
    expect(JSON.stringify(lines)).not.toContain(bearer);
  });

  it('still takes the static token beside OIDC', async () => {
    expect((await ask(gateway().app, 'demo-token')).status).toBe(200);
  });
});
