import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { type ConfigOverride, type RankdServer, startRankd } from '../../src/server/rankd-server.js';
import { controlClient, rankClient } from './rankd-client.js';

export interface RankdFixture {
  server: RankdServer;
  /** The temporary copy of config/ the server runs on: tests edit its files. */
  configDir: string;
  rank: ReturnType<typeof rankClient>;
  control: ReturnType<typeof controlClient>;
  stop(): Promise<void>;
}

const quiet = () => {};

/**
 * A temporary copy of the shipped config/ (work modules still point at the
 * repo's workers/); `root` holds it and is removed by the caller.
 */
export function copyConfig(prepare: (configDir: string) => void = () => {}): { root: string; configDir: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rankd-test-'));
  const configDir = path.join(root, 'config');
  cpSync(path.join(packageRoot, 'config'), configDir, { recursive: true, filter: (src) => !src.endsWith('.control-token') });
  const workConfig = path.join(configDir, 'work_config.ini');
  writeFileSync(workConfig, readFileSync(workConfig, 'utf8').replaceAll('../workers/', `${path.join(packageRoot, 'workers')}/`));
  prepare(configDir);
  return { root, configDir };
}

/** A rankd server on free loopback ports over a copy of the shipped config/. */
export async function startRankdFixture(adjust: ConfigOverride = () => {}, prepare: (configDir: string) => void = () => {}): Promise<RankdFixture> {
  const { root, configDir } = copyConfig(prepare);
  let server: RankdServer;
  try {
    server = await startRankd(
      configDir,
      (c) => {
        c.server.host = '127.0.0.1';
        c.server.queryPort = 0;
        c.server.controlPort = 0;
        c.server.controlToken = 'test-token';
        c.pool.threads = 2;
        c.admin.port = 0;
        adjust(c);
      },
      quiet,
    );
  } catch (e) {
    rmSync(root, { recursive: true, force: true });
    throw e;
  }
  const rank = rankClient(`127.0.0.1:${server.queryPort}`);
  const control = controlClient(`127.0.0.1:${server.controlPort}`, server.controlToken);
  return {
    server,
    configDir,
    rank,
    control,
    async stop() {
      rank.close();
      control.close();
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
