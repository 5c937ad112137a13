import type { RankdConfig } from '../config/load-config.js';
import { loadConfig } from '../config/load-config.js';
import { packageVersion } from '../package-root.js';
import { GenerationPublisher } from '../pool/generation-publisher.js';
import { Controller } from './controller.js';
import type { Dispatch } from './dispatch.js';
import { GlobalData } from './global-data.js';
import type { ServerLog } from './server-log.js';


/** The compute part of rankd without any network: tables, generations, the pool. */
export interface Engine {
  controller: Controller;
  dispatch: Dispatch;
  global: GlobalData;
  stop(): Promise<void>;
}

/** Loads the tables and starts the pool of `config` (read from `configDir`, which updates re-read). */
export async function startEngine(
  configDir: string,
  config: RankdConfig,
  log: ServerLog,
  observe?: (action: string, ok: boolean, seconds: number) => void,
): Promise<Engine> {
  const publisher = new GenerationPublisher(config.remote.sources);
  // Peer sources in etcd resolve through the etcd this server registers in.
  const etcd = config.discovery?.etcd;
  let dispatch: Dispatch | undefined;
  const global = new GlobalData(publisher, {
    graceMs: config.globaldb.graceMs,
    maxShrink: config.globaldb.maxShrink,
    busy: () => dispatch?.pool.busy ?? false,
    loaderNice: config.pool.nice,
  });
  const controller = new Controller(global, publisher, {
    readConfig: () => {
      const fresh = loadConfig(configDir);
      return { tables: fresh.globaldb.tables, works: fresh.works.works, sources: fresh.remote.sources, sourcesFile: fresh.remote.config };
    },
    sourceEnvironment: { etcd },
    poolOptions: (works) => ({
      threads: config.pool.threads,
      queueSize: config.pool.queueSize,
      tasksPerThread: config.pool.tasksPerThread,
      batchMax: config.pool.batchMax,
      runner: { maxCandidates: config.server.maxCandidates, slowMs: config.log.slowMs, etcd },
      logLevel: config.log.level,
      killAfterMs: config.pool.killAfterMs,
      maxHeapMb: config.pool.maxHeapMb,
      youngHeapMb: config.pool.youngHeapMb,
      nice: config.pool.nice,
      works,
    }),
    version: packageVersion(),
    log,
    observe,
  });
  dispatch = await controller.start();
  return { controller, dispatch, global, stop: () => controller.stop() };
}
