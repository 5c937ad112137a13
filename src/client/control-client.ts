import { credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { controlService } from '../rpc/control-service.js';
import type { StatusReply, UpdateReply } from '../server/controller.js';

export type { StatusReply, UpdateReply };

/** The control service of one server (its control port, loopback by default): reloads and status. */
export interface ControlClient {
  /** Reloads global tables: those named, or all. */
  updateGlobal(tables?: string[]): Promise<UpdateReply>;
  /** Reloads works and algorithms into a fresh pool. */
  updateWork(): Promise<UpdateReply>;
  updateDb(): Promise<UpdateReply>;
  status(): Promise<StatusReply>;
  close(): void;
}

type UnaryMethod = (request: object, metadata: Metadata, options: { deadline: number }, callback: (error: ServiceError | null, reply: unknown) => void) => void;

export function createControlClient(address: string, token: string | undefined, deadlineMs = 60_000): ControlClient {
  const Control = controlService();
  const client = new Control(address, credentials.createInsecure());
  const methods = client as unknown as Record<string, UnaryMethod>;
  const unary = <T>(method: string, request: object) =>
    new Promise<T>((resolve, reject) => {
      const metadata = new Metadata();
      if (token !== undefined) metadata.set('authorization', `Bearer ${token}`);
      methods[method]!.call(client, request, metadata, { deadline: Date.now() + deadlineMs }, (error, reply) => (error ? reject(error) : resolve(reply as T)));
    });
  return {
    updateGlobal: (tables = []) => unary<UpdateReply>('UpdateGlobal', { tables }),
    updateWork: () => unary<UpdateReply>('UpdateWork', {}),
    updateDb: () => unary<UpdateReply>('UpdateDb', {}),
    status: () => unary<StatusReply>('Status', {}),
    close: () => client.close(),
  };
}
