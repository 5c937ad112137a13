/**
 * The transport floor, for comparison: rankd's own query server
 * (startQueryServer: Buffer serializers, message limits, wide HTTP/2 windows)
 * over a pool that answers at once with a fixed 1 KiB reply (rankd's top-50
 * replies are about that size) and does no work. What it costs per call is
 * what any grpc-js server pays before doing any work.
 *
 *   node dist/bench/engine/echo-server.js <port>
 */
import { Dispatch } from '../../src/server/dispatch.js';
import type { QueryPool } from '../../src/pool/query-pool.js';
import { startQueryServer } from '../../src/server/query-server.js';

const port = Number(process.argv[2]);
const reply = { bytes: new Uint8Array(1024), api: 'rank' };
const answeringPool = { run: async () => reply } as unknown as QueryPool;
const { port: bound } = await startQueryServer(new Dispatch(answeringPool), {
  host: '127.0.0.1',
  port,
  defaultDeadlineMs: 5000,
  maxMessageBytes: 4 << 20,
});
process.stdout.write(`ready ${bound}\n`);
