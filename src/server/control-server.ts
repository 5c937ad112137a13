import { type sendUnaryData, Server, ServerCredentials, type ServerUnaryCall, status } from '@grpc/grpc-js';
import { controlService } from '../rpc/control-service.js';
import { RequestError } from '../rpc/request-error.js';
import type { Controller } from './controller.js';
import { hasToken } from './control-token.js';
import { bind, hostPort } from './query-server.js';

export interface ControlServerOptions {
  host: string;
  port: number;
  token: string;
}

/** The Control service on its own port; every call needs the bearer token. */
export async function startControlServer(controller: Controller, options: ControlServerOptions): Promise<{ server: Server; port: number }> {
  const server = new Server();
  const guarded =
    <Req, Res>(run: (req: Req) => Res | Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      if (!hasToken(call.metadata, options.token)) {
        callback({ code: status.UNAUTHENTICATED, details: 'missing or wrong control token (metadata "authorization: Bearer <token>")' });
        return;
      }
      Promise.resolve()
        .then(() => run(call.request))
        .then(
          (reply) => callback(null, reply),
          (e: unknown) => {
            const code = e instanceof RequestError ? e.code : status.INTERNAL;
            callback({ code, details: (e as Error).message });
          },
        );
    };
  server.addService(controlService().service, {
    UpdateGlobal: guarded((req: { tables: string[] }) => controller.updateGlobal(req.tables ?? [])),
    UpdateWork: guarded(() => controller.updateWork()),
    UpdateDb: guarded(() => controller.updateDb()),
    Status: guarded(() => controller.status()),
  });
  const port = await bind(server, hostPort(options.host, options.port), ServerCredentials.createInsecure());
  return { server, port };
}
