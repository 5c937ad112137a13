import { loadPackageDefinition, type ServiceClientConstructor } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { protoFile } from './proto-file.js';

/** The Control service, with plain-object messages: it is not a hot path. */
export function controlService(): ServiceClientConstructor {
  const def = loadSync(protoFile(), { keepCase: true, longs: Number, defaults: true, enums: String });
  const pkg = loadPackageDefinition(def) as unknown as { rankd: { v1: { Control: ServiceClientConstructor } } };
  return pkg.rankd.v1.Control;
}
