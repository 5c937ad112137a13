/**
 * npm run bench:engine [-- --quick]
 *
 * In one run, side by side: rankd serving Rank (200 candidates × 40 features,
 * LR over a 2^22-row model — production-sized, so lookups miss the cache as
 * they do in production) at several concurrencies; the same work inline in
 * one thread with no RPC (decode → rank work → encode: the ceiling); a naive
 * single-threaded server (proto-loader objects, scoring on its main thread);
 * a grpc-js server that answers without working (the floor every grpc-js
 * server pays per call, which with the inline time bounds vs_ceiling); and
 * rankd's p99 while UpdateGlobal of a 100k-entry table runs every 500 ms.
 * The load generator is a C program over libnghttp2 (engine/rank-load.c,
 * built on first use), a process of its own sharing the two cores with the
 * server; servers are child processes, run with the start command's node
 * flags and allocator settings (scripts/server-env.sh, via scripts/bench.sh).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { loadTable } from '../globaldb/load-table.js';
import type { TableImage } from '../globaldb/table.js';
import { loadConfig } from '../src/config/load-config.js';
import { packageRoot } from '../src/package-root.js';
import { BoundTables } from '../src/pool/bound-tables.js';
import { TaskRunner } from '../src/pool/task-runner.js';
import { loadWorks } from '../src/pool/work-registry.js';
import { encodeRankRequest } from '../src/rpc/rank-request.js';
import { freePort } from '../test/support/free-port.js';
import { controlClient } from '../test/support/rankd-client.js';
import { type CLoadResult, type CRankLoad, prepareRankLoad } from './engine/c-rank-load.js';
import { median } from './engine/rank-load.js';
import { serverNodeFlags } from './server-node-flags.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
const SECONDS = quick ? 1.5 : 5;
const CONCURRENCY = quick ? [8, 32] : [4, 16, 64];
const MODEL_ROWS = 1 + 2 ** 22;
const TOKEN = 'bench-token';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A temp copy of config/ with a production-sized LR model and a 100k-entry table to swap. */
function prepareConfig(queryPort: number, controlPort: number): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'rankd-bench-engine-'));
  const dir = path.join(root, 'config');
  cpSync(path.join(packageRoot, 'config'), dir, { recursive: true, filter: (f) => !f.endsWith('.control-token') });
  const next = random(7);
  const model = Buffer.alloc(16 + MODEL_ROWS * 4);
  model.write('RKDW', 0, 'latin1');
  model.writeUInt32LE(1, 4);
  model.writeUInt32LE(MODEL_ROWS, 8);
  model.writeUInt32LE(1, 12);
  for (let i = 0; i < MODEL_ROWS; i++) model.writeFloatLE((next() - 0.5) * 0.2, 16 + 4 * i);
  writeFileSync(path.join(dir, 'data', 'lr_weights.bin'), model);
  const swap: string[] = [];
  for (let i = 0; i < 100_000; i++) swap.push(String(1 + Math.floor(next() * 2 ** 40)));
  writeFileSync(path.join(dir, 'data', 'swap_set.txt'), `${swap.join('\n')}\n`);
  const gdb = path.join(dir, 'global_db_config.ini');
  writeFileSync(
    gdb,
    readFileSync(gdb, 'utf8')
      .replace(/^(DBS_NAME\s*=.*)$/m, '$1,swap_set')
      .replace('DB_FILE_NAME=data/lr_weights.txt', 'DB_FILE_NAME=data/lr_weights.bin')
      .replace('FORMAT=text', 'FORMAT=binary') + '\n[swap_set]\nDB_TYPE=1\nDB_FILE_NAME=data/swap_set.txt\n',
  );
  const works = path.join(dir, 'work_config.ini');
  writeFileSync(works, readFileSync(works, 'utf8').replaceAll('../workers/', `${path.join(packageRoot, 'workers')}/`));
  const ini = path.join(dir, 'rankd.ini');
  writeFileSync(
    ini,
    readFileSync(ini, 'utf8')
      .replace(/^query_port\s*=.*$/m, `query_port = ${queryPort}`)
      .replace(/^control_port\s*=.*$/m, `control_port = ${controlPort}`)
      .replace(/^host\s*=.*$/m, 'host = 127.0.0.1')
      .replace(/^control_token\s*=.*$/m, `control_token = ${TOKEN}`)
      .replace(/^deadline_ms\s*=.*$/m, 'deadline_ms = 5000'),
  );
  return dir;
}

function requests(): Buffer[] {
  const next = random(11);
  return Array.from({ length: 16 }, () => {
    const n = 200;
    const f = 40;
    const featureOffsets = Uint32Array.from({ length: n + 1 }, (_, i) => i * f);
    const featureIds = Uint32Array.from({ length: n * f }, () => Math.floor(next() * 2 ** 32));
    const featureValues = Float32Array.from({ length: n * f }, () => next());
    const itemIds = Float64Array.from({ length: n }, () => 1 + Math.floor(next() * 2 ** 40));
    return Buffer.from(
      encodeRankRequest({
        userId: Math.floor(next() * 2 ** 40),
        userFeatureIds: Uint32Array.from({ length: 20 }, () => Math.floor(next() * 2 ** 32)),
        userFeatureValues: Float32Array.from({ length: 20 }, () => next()),
        candidates: { itemIds, featureOffsets, featureIds, featureValues },
        topK: 50,
      }),
    );
  });
}

/** Requests per second of decode → rank work → encode in this one thread. */
async function inlineRate(configDir: string, reqs: Buffer[]): Promise<number> {
  const config = loadConfig(configDir);
  const images: Record<string, TableImage> = {};
  for (const spec of config.globaldb.tables) images[spec.name] = await loadTable(spec);
  const tables = new BoundTables(1, images);
  const runner = new TaskRunner(await loadWorks(config.works.works), { enter: () => tables, leave: () => {} }, { maxCandidates: 10_000, slowMs: 0 });
  const rates: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    let n = 0;
    const start = performance.now();
    const end = start + SECONDS * 1000;
    while (performance.now() < end) {
      const reply = await runner.run({ method: 'rank', bytes: reqs[n % reqs.length]!, deadline: Date.now() + 5000 });
      if ('code' in reply) throw new Error(`inline run failed: ${reply.message}`);
      n++;
    }
    rates.push(n / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

/** A server process, run with the start command's node flags (and, inherited, its allocator environment). */
async function startChild(args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn(process.execPath, [...serverNodeFlags(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let seen = '';
  await new Promise<void>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) resolve();
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${seen}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

/** A /proc file's text, or '' where there is none (not Linux): the figures read from it come out NaN. */
function procText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** CPU seconds a process or thread has used so far (Linux /proc, 100 ticks a second). */
function cpuSeconds(statPath: string): number {
  const fields = procText(statPath).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The machine's CPU time so far (Linux /proc/stat): idle (with iowait) and all, in ticks. */
function machineTicks(): { idle: number; total: number } {
  const t = procText('/proc/stat').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  return { idle: t[3]! + t[4]!, total: t.reduce((a, b) => a + b, 0) };
}

/** Nanoseconds a thread has spent waiting on a run queue, ready but not running (Linux schedstat). */
function runQueueWaitNs(pid: number, tid: number): number {
  return Number(procText(`/proc/${pid}/task/${tid}/schedstat`).split(' ')[1]);
}

/** CPU seconds of each thread of a process, by thread id. */
function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(tid, cpuSeconds(`/proc/${pid}/task/${tid}/stat`));
  } catch {
    // not Linux
  }
  return out;
}

interface Measured {
  results: CLoadResult[];
  /** CPU microseconds per call: the server process (all its threads), and the load generator's process. */
  serverCpuUs: number;
  /** The server's main thread alone, and its busiest other threads (pool threads). */
  mainCpuUs: number;
  otherThreadsCpuUs: number[];
  loadCpuUs: number;
  /** Share of the machine's CPU time left idle during the runs, and of the time the server's main thread spent ready but waiting for a core. */
  idleShare: number;
  mainWaitShare: number;
}

async function measure(load: CRankLoad, server: ChildProcess, concurrency: number): Promise<Measured> {
  await load.run(concurrency, 300); // warm-up: JIT
  const results: CLoadResult[] = [];
  const serverBefore = cpuSeconds(`/proc/${server.pid}/stat`);
  const threadsBefore = threadCpuSeconds(server.pid!);
  const ticksBefore = machineTicks();
  const waitBefore = runQueueWaitNs(server.pid!, server.pid!);
  const start = performance.now();
  for (let r = 0; r < RUNS; r++) results.push(await load.run(concurrency, SECONDS * 1000));
  const wallNs = (performance.now() - start) * 1e6;
  const ticks = machineTicks();
  const calls = results.reduce((n, r) => n + r.calls, 0);
  const perCall = (seconds: number) => (seconds * 1e6) / calls;
  const threads = [...threadCpuSeconds(server.pid!)].map(([tid, t]) => ({ tid, us: perCall(t - (threadsBefore.get(tid) ?? 0)) }));
  return {
    results,
    serverCpuUs: perCall(cpuSeconds(`/proc/${server.pid}/stat`) - serverBefore),
    mainCpuUs: threads.find((t) => t.tid === String(server.pid))?.us ?? NaN,
    otherThreadsCpuUs: threads
      .filter((t) => t.tid !== String(server.pid))
      .map((t) => t.us)
      .sort((a, b) => b - a)
      .slice(0, 3),
    loadCpuUs: results.reduce((us, r) => us + r.cpuUs, 0) / calls,
    idleShare: (ticks.idle - ticksBefore.idle) / (ticks.total - ticksBefore.total),
    mainWaitShare: (runQueueWaitNs(server.pid!, server.pid!) - waitBefore) / wallNs,
  };
}

function cpuNote(m: Measured): string {
  const others = m.otherThreadsCpuUs.map((us) => us.toFixed(0)).join(' + ');
  const pct = (x: number) => `${(100 * x).toFixed(0)} %`;
  return (
    `cpu/call µs: server ${m.serverCpuUs.toFixed(0)} (main ${m.mainCpuUs.toFixed(0)}, threads ${others}), load generator ${m.loadCpuUs.toFixed(0)}; ` +
    `cores idle ${pct(m.idleShare)}, main thread waiting for a core ${pct(m.mainWaitShare)}`
  );
}

function summary(results: CLoadResult[]) {
  return {
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50Ms)),
    p99: median(results.map((r) => r.p99Ms)),
    failed: results.reduce((n, r) => n + r.failed, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
  };
}

interface Point {
  c: number;
  m: Measured;
  s: ReturnType<typeof summary>;
}

/** The server under load at each concurrency in turn: a row for each, and what was measured. */
async function sweep(label: string, load: CRankLoad, server: ChildProcess, rows: string[]): Promise<Point[]> {
  const points: Point[] = [];
  for (const c of CONCURRENCY) {
    const m = await measure(load, server, c);
    const s = summary(m.results);
    if (s.firstError) rows.push(`  first error: ${s.firstError}`);
    rows.push(`${`${label}, c=${c}`.padEnd(32)}${s.rps.toFixed(0).padStart(8)} req/s  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  ${cpuNote(m)}`);
    points.push({ c, m, s });
  }
  return points;
}

function fastest(points: Point[]): Point {
  return points.reduce((a, b) => (b.s.rps > a.s.rps ? b : a));
}

async function main(): Promise<void> {
  const [queryPort, controlPort, naivePort, echoPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const configDir = prepareConfig(queryPort, controlPort);
  const reqs = requests();
  const rows: string[] = [];
  try {
    const rankLoad = await prepareRankLoad(reqs, path.join(path.dirname(configDir), 'requests.bin'));
    const loadOn = (port: number) => rankLoad(`127.0.0.1:${port}`);
    const inline = await inlineRate(configDir, reqs);
    rows.push(`inline, 1 thread, no RPC        ${inline.toFixed(0).padStart(8)} req/s  (${(1e6 / inline).toFixed(0)} µs a call)`);

    const naive = await startChild(
      [
        path.join(packageRoot, 'dist/bench/engine/naive-server.js'),
        String(naivePort),
        path.join(configDir, 'data/blacklist.txt'),
        path.join(configDir, 'data/item_category.txt'),
        path.join(configDir, 'data/lr_weights.bin'),
      ],
      /ready/,
    );
    const naiveBest = fastest(await sweep('naive server', loadOn(naivePort), naive, rows)).s;
    await stopChild(naive);

    // The floor under any grpc-js server here: one that does nothing, on the same load.
    const echo = await startChild([path.join(packageRoot, 'dist/bench/engine/echo-server.js'), String(echoPort)], /ready/);
    const floorUs = Math.min(...(await sweep('grpc-js doing nothing', loadOn(echoPort), echo, rows)).map((p) => p.m.serverCpuUs + p.m.loadCpuUs));
    await stopChild(echo);
    // Two cores' worth of calls each costing at least the floor plus the inline work.
    const bound = 2e6 / (floorUs + 1e6 / inline);
    rows.push(`bound: 2 cores ÷ (${floorUs.toFixed(0)} µs floor + ${(1e6 / inline).toFixed(0)} µs inline) = ${bound.toFixed(0)} req/s`);

    const rankd = await startChild([path.join(packageRoot, 'bin/rankd.js'), 'serve', '--config', configDir], /rankd serving/);
    const load = loadOn(queryPort);
    const points = await sweep('rankd', load, rankd, rows);
    let failed = points.reduce((n, p) => n + p.s.failed, 0);
    const { c: bestC, s: best } = fastest(points);

    // Steady and swapping runs alternate so drift on this shared machine hits both alike.
    const control = controlClient(`127.0.0.1:${controlPort}`, TOKEN);
    const steady: CLoadResult[] = [];
    const swapping: CLoadResult[] = [];
    let swaps = 0;
    for (let r = 0; r < RUNS; r++) {
      steady.push(await load.run(bestC, SECONDS * 1000));
      let on = true;
      const swapper = (async () => {
        while (on) {
          const t = performance.now();
          await control.updateGlobal(['swap_set']);
          swaps++;
          await new Promise((res) => setTimeout(res, Math.max(0, 500 - (performance.now() - t))));
        }
      })();
      swapping.push(await load.run(bestC, SECONDS * 1000));
      on = false;
      await swapper;
    }
    control.close();
    await stopChild(rankd);
    const st = summary(steady);
    const sw = summary(swapping);
    failed += st.failed + sw.failed;
    rows.push(`rankd steady, c=${bestC}                ${st.rps.toFixed(0).padStart(8)} req/s  p99 ${st.p99.toFixed(2)} ms`);
    rows.push(`rankd + UpdateGlobal/500ms, c=${bestC}  ${sw.rps.toFixed(0).padStart(8)} req/s  p99 ${sw.p99.toFixed(2)} ms  (${swaps} swaps)`);

    process.stdout.write(`bench:engine (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${os.cpus()[0]?.model}; medians of ${RUNS} × ${SECONDS}s)\n`);
    for (const r of rows) process.stdout.write(`  ${r}\n`);
    const result = {
      bench: 'engine',
      rps: Math.round(best.rps),
      p99_ms: Number(best.p99.toFixed(2)),
      vs_naive: Number((best.rps / naiveBest.rps).toFixed(2)),
      vs_ceiling: Number((best.rps / (2 * inline)).toFixed(2)),
      // The most vs_ceiling any grpc-js server could reach on this machine with this load generator.
      bound_vs_ceiling: Number((bound / (2 * inline)).toFixed(2)),
      swap_p99_vs_steady: Number((sw.p99 / st.p99).toFixed(2)),
      failed,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(path.dirname(configDir), { recursive: true, force: true });
  }
}

await main();
