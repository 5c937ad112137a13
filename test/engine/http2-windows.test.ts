import http2 from 'node:http2';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import type { Server } from '@grpc/grpc-js';
import type { Dispatch } from '../../src/server/dispatch.js';
import { QUERY_WINDOW_BYTES } from '../../src/server/http2-windows.js';
import { startQueryServer } from '../../src/server/query-server.js';

// A stand-in dispatch is enough here: the test looks at HTTP/2 settings, not at calls.
const dispatch = { run: async () => ({ bytes: new Uint8Array(0), api: 'rank' }) } as unknown as Dispatch;

describe('query server HTTP/2 windows', () => {
  let server: Server | undefined;
  afterAll(() => server?.forceShutdown());

  it('advertises a stream window wide enough for large Rank requests', async () => {
    const started = await startQueryServer(dispatch, { host: '127.0.0.1', port: 0, defaultDeadlineMs: 1000, maxMessageBytes: 1 << 20 });
    server = started.server;
    const session = http2.connect(`http://127.0.0.1:${started.port}`);
    try {
      const [settings] = (await once(session, 'remoteSettings')) as [http2.Settings];
      expect(settings.initialWindowSize).toBe(QUERY_WINDOW_BYTES);
      // The connection window grows too once the server has seen the session.
      await expect.poll(() => session.state.remoteWindowSize, { timeout: 5000 }).toBeGreaterThanOrEqual(QUERY_WINDOW_BYTES - 65_535);
    } finally {
      session.destroy();
    }
  });
});
