import path from 'node:path';
import { packageRoot } from '../package-root.js';

/** The .proto ships with the sources, also when running from dist/. */
export function protoFile(): string {
  return path.join(packageRoot, 'src', 'rpc', 'rankd.proto');
}
