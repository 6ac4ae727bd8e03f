import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from '../../test-support/replay';

/**
 * A loopback server that answers as Adobe Experience Platform (IMS token, profile, experience
 * events) and Dynamics 365 (Entra ID token, contacts, incidents) do, with their documented
 * examples from `shared/connectors/fixtures/`. For tests of the `lookup` CLI and the gateway.
 */
export interface PlatformReplay {
  url: string;
  /** Requests seen, as `METHOD path`, for assertions. */
  seen: string[];
  close(): Promise<void>;
}

export interface ReplayOptions {
  /** The token endpoints refuse the client credentials (401). */
  refuseCredentials?: boolean;
}

export async function startPlatformReplay(options: ReplayOptions = {}): Promise<PlatformReplay> {
  const seen: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push(`${request.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    // Drain request bodies (token forms) before answering.
    request.resume();
    request.on('end', () => {
      if (url.pathname === '/ims/token/v3' || url.pathname.endsWith('/oauth2/v2.0/token')) {
        if (options.refuseCredentials)
          return send(401, { error: 'invalid_client', error_description: 'invalid client secret' });
        return send(200, fixture('aep-ims-token').response);
      }
      if (url.pathname === '/data/core/ups/access/entities') {
        if (!request.headers.authorization?.startsWith('Bearer '))
          return send(401, { title: 'Unauthorized' });
        const schema = url.searchParams.get('schema.name');
        if (schema === '_xdm.context.profile')
          return send(200, fixture('aep-profile-entity').response);
        const page = url.searchParams.has('start') ? 'aep-events-page-2' : 'aep-events-page-1';
        return send(200, fixture(page).response);
      }
      if (url.pathname === '/api/data/v9.2/contacts')
        return send(200, fixture('dynamics-contacts').response);
      if (url.pathname === '/api/data/v9.2/incidents')
        return send(200, fixture('dynamics-incidents').response);
      if (url.pathname === '/api/data/v9.2/phonecalls')
        return send(200, fixture('dynamics-phonecalls').response);
      if (url.pathname === '/api/data/v9.2/activitypointers')
        return send(200, fixture('dynamics-activitypointers').response);
      send(404, { error: { message: 'no such route in the replay' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
