/**
 * npm run bench:remote [-- --quick]
 *
 * Reads of 200 keys per request from one local Redis, 16 requests in flight,
 * side by side in one run: rankd's remote source (as a work reads it), one
 * plain ioredis MGET per request on a shared client, and a naive client that
 * connects per request and sends 200 sequential GETs (lab_common_so's
 * adapters). Each round runs all three (rotating who goes first); rates are
 * medians over rounds, ratios the median of each round's ratio, so drift on
 * this shared machine hits both sides of a ratio alike.
 *
 * Like with like: all three read the same requests of the same ids, turn ids
 * into "feat:<id>" inside the timed read, get one connection (plain and
 * rankd share theirs across the 16 reads in flight) and answer the same
 * strings (checked before timing; values are `string`, so no side decodes).
 * The plain client has ioredis's default options, rankd its own
 * (socketTimeout, connectionName, maxRetriesPerRequest 1): measured on a
 * plain mget they change nothing visible. rankd's lead over plain comes from
 * its own MGET encoding and id formatting (src/remote/mget-command.ts,
 * remote-key.ts), paid for by the per-request ctx.remote object, deadline
 * timer and error handling that plain does not have.
 */
import os from 'node:os';
import { Redis } from 'ioredis';
import { startRedis } from '../test/support/redis.js';
import { median } from './engine/rank-load.js';
import { runReadLoad, type ReadLoadResult } from './remote/read-load.js';
import { KEY_PREFIX, naiveReader, plainMgetReader, rankdSourceReader, type ReadContestant } from './remote/redis-readers.js';

const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
const SECONDS = quick ? 2 : 5;
const CONCURRENCY = 16;
const KEYS_PER_REQUEST = 200;
const STORED_KEYS = 100_000;
const VALUE_BYTES = 100;

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

/** Stores STORED_KEYS values (ids < 2^40) and returns 64 requests of KEYS_PER_REQUEST ids, 1 in 10 missing. */
async function seed(port: number): Promise<number[][]> {
  const next = random(42);
  const ids = Array.from({ length: STORED_KEYS }, () => 1 + Math.floor(next() * 2 ** 40));
  const writer = new Redis(port, '127.0.0.1', { enableAutoPipelining: true });
  for (let i = 0; i < ids.length; i += 1000) {
    const batch: string[] = [];
    for (const id of ids.slice(i, i + 1000)) batch.push(KEY_PREFIX + id, `${id}:`.padEnd(VALUE_BYTES, 'x'));
    await writer.mset(batch);
  }
  await writer.quit();
  return Array.from({ length: 64 }, () =>
    Array.from({ length: KEYS_PER_REQUEST }, () => (next() < 0.1 ? 2 ** 41 + Math.floor(next() * 1e6) : ids[Math.floor(next() * ids.length)]!)),
  );
}

/** Every contestant must read the same values before anything is timed. */
async function checkAgree(contestants: ReadContestant[]): Promise<void> {
  const answers = await Promise.all(contestants.map((c) => c.read(0)));
  const expected = JSON.stringify(answers[0]);
  contestants.forEach((c, i) => {
    if (JSON.stringify(answers[i]) !== expected) throw new Error(`${c.name} read different values`);
  });
}

/** Median over rounds of a's throughput over b's in the same round. */
function pairedRatio(a: ReadLoadResult[], b: ReadLoadResult[]): number {
  return median(a.map((result, r) => result.rps / b[r]!.rps));
}

function summary(results: ReadLoadResult[]) {
  return {
    clientCpuUs: median(results.map((r) => r.clientCpuUs)),
    rps: median(results.map((r) => r.rps)),
    p50: median(results.map((r) => r.p50Ms)),
    p99: median(results.map((r) => r.p99Ms)),
    failed: results.reduce((n, r) => n + r.failed, 0),
    firstError: results.find((r) => r.firstError)?.firstError,
  };
}

async function main(): Promise<void> {
  const redis = await startRedis();
  try {
    const requests = await seed(redis.port);
    const contestants = [naiveReader(redis.port, requests), plainMgetReader(redis.port, requests), rankdSourceReader(redis.port, requests)];
    await checkAgree(contestants);
    const results = contestants.map(() => [] as ReadLoadResult[]);
    for (const c of contestants) await runReadLoad(c.read, CONCURRENCY, 300); // warm-up: connections, JIT
    for (let r = 0; r < RUNS; r++) {
      // Each round runs all three, in a rotating order so none always goes first.
      for (let k = 0; k < contestants.length; k++) {
        const i = (r + k) % contestants.length;
        results[i]!.push(await runReadLoad(contestants[i]!.read, CONCURRENCY, SECONDS * 1000));
      }
    }
    await Promise.all(contestants.map((c) => c.close()));

    const [naive, plain, rankd] = results.map(summary) as [ReturnType<typeof summary>, ReturnType<typeof summary>, ReturnType<typeof summary>];
    const failed = naive.failed + plain.failed + rankd.failed;
    process.stdout.write(
      `bench:remote (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${os.cpus()[0]?.model}; ${KEYS_PER_REQUEST} keys/request of ${VALUE_BYTES} B, ` +
        `${CONCURRENCY} in flight; medians of ${RUNS} × ${SECONDS}s)\n`,
    );
    for (const [i, c] of contestants.entries()) {
      const s = [naive, plain, rankd][i]!;
      process.stdout.write(
        `  ${c.name.padEnd(34)} ${s.rps.toFixed(0).padStart(8)} req/s  p50 ${s.p50.toFixed(2)} ms  p99 ${s.p99.toFixed(2)} ms  client CPU ${s.clientCpuUs.toFixed(0)} µs/req\n`,
      );
      if (s.firstError) process.stdout.write(`    ${s.failed} failed; first error: ${s.firstError}\n`);
    }
    const result = {
      bench: 'remote',
      rps: Math.round(rankd.rps),
      p99_ms: Number(rankd.p99.toFixed(2)),
      // Ratios within each round, then their median: a round's drift hits both sides alike.
      vs_naive: Number(pairedRatio(results[2]!, results[0]!).toFixed(2)),
      vs_plain_mget: Number(pairedRatio(results[2]!, results[1]!).toFixed(2)),
      failed,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await redis.destroy();
  }
}

await main();
