/**
 * npm run bench:offline [-- --quick]
 *
 * `rankd run` over 1M keys (--quick: 50k) with the rank work (200 default
 * candidates × 40 features, LR), against the same work called one key at a
 * time in a single thread, measured in the same run.
 *
 * Both sides do the same work per key: fill the template, answer the Call
 * (TaskRunner.runCallBatch, the very code a pool thread runs per key), build
 * the output line and write it to a file. The single thread has no pool and
 * no ordering. `rankd run` is the real CLI in a child process; its rate is
 * the one it reports (from the first key, after start-up and counting the
 * input), and its output is checked to hold every key.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTable } from '../globaldb/load-table.js';
import type { TableImage } from '../globaldb/table.js';
import { loadConfig } from '../src/config/load-config.js';
import { countLines } from '../src/offline/count-lines.js';
import { outputLine } from '../src/offline/key-batch.js';
import { RequestTemplate } from '../src/offline/request-template.js';
import { packageRoot } from '../src/package-root.js';
import { BoundTables } from '../src/pool/bound-tables.js';
import { TaskRunner } from '../src/pool/task-runner.js';
import { loadWorks } from '../src/pool/work-registry.js';
import { copyConfig } from '../test/support/rankd-fixture.js';
import { median } from './engine/rank-load.js';

const quick = process.argv.includes('--quick');
const KEYS = quick ? 50_000 : 1_000_000;
const RUNS = 3;
const SINGLE_SECONDS = quick ? 3 : 10;
const template = new RequestTemplate('{"api":"rank","uid":"{key}","top_k":20}');

async function singleThreadRate(configDir: string, outFile: string): Promise<number> {
  const config = loadConfig(configDir);
  const images: Record<string, TableImage> = {};
  for (const spec of config.globaldb.tables) images[spec.name] = await loadTable(spec);
  const tables = new BoundTables(1, images);
  const runner = new TaskRunner(await loadWorks(config.works.works), { enter: () => tables, leave: () => {} }, { maxCandidates: 10_000, slowMs: 0 });
  const out = createWriteStream(outFile);
  const rates: number[] = [];
  let key = 1;
  for (let r = 0; r < RUNS; r++) {
    let n = 0;
    let text = '';
    const start = performance.now();
    while (performance.now() - start < SINGLE_SECONDS * 1000) {
      const k = String(key++);
      const [reply] = await runner.runCallBatch([template.fill(k)], Date.now() + 60_000);
      if (typeof reply !== 'string') throw new Error(reply!.message);
      text += outputLine(k, reply);
      // Buffered like any program that writes a big file: one write per 256 lines.
      if (++n % 256 === 0) {
        if (!out.write(text)) await once(out, 'drain');
        text = '';
      }
    }
    out.write(text);
    rates.push(n / ((performance.now() - start) / 1000));
  }
  out.end();
  await once(out, 'close');
  return median(rates);
}

/** `rankd run` as a user runs it; its own summary line gives the rate. */
async function cliRun(configDir: string, keysFile: string, outFile: string): Promise<{ rate: number; seconds: number; total: number }> {
  const started = performance.now();
  const args = ['run', '--config', configDir, '--input', keysFile, '--template', template.text, '--out', outFile];
  const child = spawn(process.execPath, [path.join(packageRoot, 'bin', 'rankd.js'), ...args], { stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const [code] = (await once(child, 'exit')) as [number | null];
  const total = (performance.now() - started) / 1000;
  const done = /^done: (\d+) keys, 0 failed.* (\d+) keys\/s, wall ([\d.]+) s$/m.exec(stderr);
  if (code !== 0 || done === null || Number(done[1]) !== KEYS) throw new Error(`rankd run failed (exit ${code}):\n${stderr}`);
  const lines = await countLines(outFile);
  if (lines !== KEYS) throw new Error(`rankd run wrote ${lines} lines for ${KEYS} keys`);
  return { rate: Number(done[2]), seconds: Number(done[3]), total };
}

async function main(): Promise<void> {
  const { root, configDir } = copyConfig();
  try {
    const keysFile = path.join(root, 'keys.txt');
    writeFileSync(keysFile, `${Array.from({ length: KEYS }, (_, i) => String(1 + i * 7919)).join('\n')}\n`);
    const single = await singleThreadRate(configDir, path.join(root, 'single.jsonl'));
    rmSync(path.join(root, 'single.jsonl'));
    const batch = await cliRun(configDir, keysFile, path.join(root, 'out.jsonl'));
    const rate = batch.rate;
    const cfg = loadConfig(configDir);
    process.stdout.write(`bench:offline (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${os.cpus()[0]?.model})\n`);
    process.stdout.write(`  single thread, one key at a time   ${single.toFixed(0).padStart(8)} keys/s (median of ${RUNS} × ${SINGLE_SECONDS}s)\n`);
    process.stdout.write(`  rankd run, ${cfg.pool.threads} threads, ${KEYS} keys  ${rate.toFixed(0).padStart(8)} keys/s (wall ${batch.seconds.toFixed(1)} s; ${batch.total.toFixed(1)} s with start-up)\n`);
    process.stdout.write(`${JSON.stringify({ bench: 'offline', keys_per_s: Math.round(rate), vs_single_thread: Number((rate / single).toFixed(2)) })}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
