/** Site B imported and served behind its HTTPS front for the enclosing describe (before/after hooks). */
import { after, before } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type Front, startHttpsFront } from './https-front.js';
import { siteBRequest } from './https-client.js';

export interface ServedSiteB {
  readonly server: TestServer;
  req(method: string, path: string, o?: Parameters<typeof siteBRequest>[4]): ReturnType<typeof siteBRequest>;
}

export function useSiteB(): ServedSiteB {
  let server: TestServer | undefined;
  let front: Front | undefined;
  before(async () => {
    server = await startTestServer({ preset: 'site-b' });
    const address = server.server.app.server.address();
    front = await startHttpsFront({ to: typeof address === 'object' && address ? address.port : 0, tls: true });
  });
  after(async () => { await front?.close(); await server?.close(); });
  return {
    get server() { if (!server) throw new Error('site B is not served yet'); return server; },
    req: (method, path, o = {}) => {
      if (!front) throw new Error('site B is not served yet');
      return siteBRequest(front.port, front.cert as Buffer, method, path, o);
    },
  };
}
