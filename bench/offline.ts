/**
 * npm run bench:offline [-- --quick]
 *
 * `rankd run` over 1M keys (--quick: 50k) with the rank work (200 default
 * candidates × 40 features, LR), against the same work called one key at a
 * time in a single thread (the very code a pool thread runs, no pool, no
 * output ordering), measured in the same run.
 */
import { rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTable } from '../globaldb/load-table.js';
import type { TableImage } from '../globaldb/table.js';
import { loadConfig } from '../src/config/load-config.js';
import { runBatch } from '../src/offline/batch-run.js';
import { RequestTemplate } from '../src/offline/request-template.js';
import { BoundTables } from '../src/pool/bound-tables.js';
import { TaskRunner } from '../src/pool/task-runner.js';
import { loadWorks } from '../src/pool/work-registry.js';
import { decodeCallResponse, encodeCallRequest } from '../src/rpc/call-codec.js';
import { copyConfig } from '../test/support/rankd-fixture.js';
import { median } from './engine/rank-load.js';

const quick = process.argv.includes('--quick');
const KEYS = quick ? 50_000 : 1_000_000;
const RUNS = 3;
const SINGLE_SECONDS = quick ? 3 : 10;
const template = new RequestTemplate('{"api":"rank","uid":"{key}","top_k":20}');

async function singleThreadRate(configDir: string): Promise<number> {
  const config = loadConfig(configDir);
  const images: Record<string, TableImage> = {};
  for (const spec of config.globaldb.tables) images[spec.name] = await loadTable(spec);
  const tables = new BoundTables(1, images);
  const runner = new TaskRunner(await loadWorks(config.works.works), { enter: () => tables, leave: () => {} }, { maxCandidates: 10_000, slowMs: 0 });
  const rates: number[] = [];
  let key = 1;
  for (let r = 0; r < RUNS; r++) {
    let n = 0;
    let bytes = 0;
    const start = performance.now();
    while (performance.now() - start < SINGLE_SECONDS * 1000) {
      const k = String(key++);
      const reply = await runner.run({ method: 'call', bytes: encodeCallRequest(template.fill(k)), deadline: Date.now() + 60_000 });
      if ('code' in reply) throw new Error(reply.message);
      bytes += `{"key":${JSON.stringify(k)},"response":${decodeCallResponse(reply.bytes)}}\n`.length;
      n++;
    }
    rates.push(n / ((performance.now() - start) / 1000));
    if (bytes === 0) throw new Error('no output');
  }
  return median(rates);
}

async function main(): Promise<void> {
  const { root, configDir } = copyConfig();
  try {
    const keysFile = path.join(root, 'keys.txt');
    writeFileSync(keysFile, `${Array.from({ length: KEYS }, (_, i) => String(1 + i * 7919)).join('\n')}\n`);
    const single = await singleThreadRate(configDir);
    const batch = await runBatch({
      configDir,
      input: keysFile,
      template: template.text,
      out: path.join(root, 'out.jsonl'),
      resume: false,
      tty: false,
      deadlineMs: 60_000,
      report: () => {},
    });
    if (batch.failed > 0) throw new Error(`${batch.failed} keys failed`);
    const rate = batch.done / batch.seconds;
    const cfg = loadConfig(configDir);
    process.stdout.write(`bench:offline (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${os.cpus()[0]?.model})\n`);
    process.stdout.write(`  single thread, one key at a time   ${single.toFixed(0).padStart(8)} keys/s (median of ${RUNS} × ${SINGLE_SECONDS}s)\n`);
    process.stdout.write(`  rankd run, ${cfg.pool.threads} threads, ${KEYS} keys  ${rate.toFixed(0).padStart(8)} keys/s (wall ${batch.seconds.toFixed(1)} s)\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'offline', keys_per_s: Math.round(rate), vs_single_thread: Number((rate / single).toFixed(2)) })}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
