/**
 * bench:engine's load generator: rank-load.c (libnghttp2), run as a child
 * process per load run. It checks every reply as rank-load.ts does, and
 * costs ~30 µs of CPU per 74 KB call against node:http2's ~80–110 on the
 * same two cores as the server (bench:engine prints the figure).
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/package-root.js';
import { grpcFrame, type LoadResult } from './rank-load.js';

const run = promisify(execFile);

export interface CLoadResult extends LoadResult {
  /** CPU microseconds the generator used (user + system). */
  cpuUs: number;
}

export interface CRankLoad {
  /** `concurrency` Rank calls in flight for `durationMs` over one connection, cycling through the requests. */
  run(concurrency: number, durationMs: number): Promise<CLoadResult>;
}

/**
 * Builds the generator if needed (scripts/build-rank-load.sh) and writes the
 * framed requests to `requestsFile`, once; returns a loader for any server address.
 */
export async function prepareRankLoad(requests: readonly Uint8Array[], requestsFile: string): Promise<(address: string) => CRankLoad> {
  await run('bash', [path.join(packageRoot, 'scripts/build-rank-load.sh')]);
  writeFileSync(requestsFile, Buffer.concat(requests.map(grpcFrame)));
  const binary = path.join(packageRoot, 'dist/bench/engine/rank-load');
  return (address) => {
    const colon = address.lastIndexOf(':');
    const [host, port] = [address.slice(0, colon), address.slice(colon + 1)];
    return {
      async run(concurrency, durationMs) {
        const { stdout } = await run(binary, [host, port, '/rankd.v1.Rank/Rank', requestsFile, String(concurrency), String(durationMs)]);
        const r = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, number | string>;
        return {
          calls: Number(r.calls),
          failed: Number(r.failed),
          rps: Number(r.rps),
          p50Ms: Number(r.p50_ms),
          p99Ms: Number(r.p99_ms),
          cpuUs: Number(r.cpu_us),
          firstError: r.first_error === '' ? undefined : String(r.first_error),
        };
      },
    };
  };
}
