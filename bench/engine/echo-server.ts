/**
 * The transport floor, for comparison: a grpc-js server set up as rankd's
 * query server is (Buffer serializers, the same message limits and HTTP/2
 * windows) whose Rank does nothing at all and answers a fixed 1 KiB reply
 * (rankd's top-50 replies are about that size). What it costs per call is
 * what any grpc-js server pays before doing any work.
 *
 *   node dist/bench/engine/echo-server.js <port>
 */
import { Server, ServerCredentials, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import { widenHttp2Windows } from '../../src/server/http2-windows.js';
import { bind, rankServiceDefinition } from '../../src/server/query-server.js';

const port = Number(process.argv[2]);
const reply = Buffer.alloc(1024);
const server = new Server({ 'grpc.max_receive_message_length': 4 << 20, 'grpc.max_send_message_length': 4 << 20 });
const answer = (_: ServerUnaryCall<Buffer, Buffer>, cb: sendUnaryData<Buffer>) => cb(null, reply);
server.addService(rankServiceDefinition, { Rank: answer, Call: answer });
const bound = await bind(server, `127.0.0.1:${port}`, ServerCredentials.createInsecure());
widenHttp2Windows(server);
process.stdout.write(`ready ${bound}\n`);
