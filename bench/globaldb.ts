/**
 * npm run bench:globaldb [-- --quick]
 *
 * In one run, side by side, for 1M and 10M entries (--quick: 1M only):
 * random lookups per second in rankd's shared `map` and `set` tables against
 * a JS Map<number, number> and Set<number> holding the same ids, hits and
 * misses, per id (get/has) and batched (getMany/hasMany); bytes per entry of
 * each; and the load rate of a generated 10M-line map file (--quick: 2M)
 * through loadTable, loader thread included. Every figure is the median of
 * several runs.
 *
 * Ids are uniform random integers in [0, 2^53) — realistic 64-bit-ish ids,
 * all outside V8's small-integer range — and values are below 2^31. Both
 * sides look up the same sequence. The JS side is timed twice, with ids read
 * from a Float64Array (as rankd's request columns carry them; Map.get then
 * boxes each one) and from an array of already-boxed numbers; the faster of
 * the two is the one compared. Map memory is the heapUsed growth across
 * building it, measured after full GCs. Times are the smaller of wall-clock
 * and CPU time (see timed()), so that jobs of others on a shared machine
 * skew the figures less; the load average is printed.
 *
 * The last line printed is one JSON object with the headline ratios.
 */
import { mkdtempSync, rmSync, statSync, writeSync, openSync, closeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTable } from '../globaldb/load-table.js';
import { MapBuilder } from '../globaldb/map-builder.js';
import { SetBuilder } from '../globaldb/set-builder.js';
import type { MapTable, SetTable } from '../globaldb/table.js';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [1_000_000] : [1_000_000, 10_000_000];
const RUNS = quick ? 3 : 5;
const LOAD_LINES = quick ? 2_000_000 : 10_000_000;
const LOAD_RUNS = 3;

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc (npm run bench:globaldb does)');

function random32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
}

function randomIds(n: number, next: () => number): Float64Array {
  const ids = new Float64Array(n);
  for (let i = 0; i < n; i++) ids[i] = (next() >>> 11) * 2 ** 32 + next();
  return ids;
}

/** An array whose elements are tagged (already-boxed) numbers: Map.get needs no allocation to use them. */
function boxed(ids: Float64Array): number[] {
  const out: unknown[] = ['not a number'];
  for (const id of ids) out.push(id);
  out.shift();
  return out as number[];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function heapUsed(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

// One loop per receiver type, so each call site stays monomorphic.
function ourGets(t: MapTable, ids: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = t.get(ids[i]!);
    if (v !== undefined) sum += v;
  }
  return sum;
}
function jsGets(m: Map<number, number>, ids: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = m.get(ids[i]!);
    if (v !== undefined) sum += v;
  }
  return sum;
}
function jsGetsBoxed(m: Map<number, number>, ids: number[]): number {
  let sum = 0;
  for (let i = 0; i < ids.length; i++) {
    const v = m.get(ids[i]!);
    if (v !== undefined) sum += v;
  }
  return sum;
}
function ourHas(t: SetTable, ids: Float64Array): number {
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (t.has(ids[i]!)) n++;
  return n;
}
function jsHas(s: Set<number>, ids: Float64Array): number {
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (s.has(ids[i]!)) n++;
  return n;
}
function jsHasBoxed(s: Set<number>, ids: number[]): number {
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (s.has(ids[i]!)) n++;
  return n;
}
function ourGetMany(t: MapTable, ids: Float64Array, out: Uint32Array): number {
  t.getMany(ids, out);
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i]!;
  return sum;
}
function ourHasMany(t: SetTable, ids: Float64Array, out: Uint8Array): number {
  t.hasMany(ids, out);
  let n = 0;
  for (let i = 0; i < out.length; i++) n += out[i]!;
  return n;
}

interface Row {
  entries: string;
  what: string;
  ours: number;
  theirs: number;
  theirsName: string;
  /** Median over runs of rankd ÷ the faster JS variant. */
  ratio: number;
}

/**
 * Seconds `run` took: the smaller of wall-clock and process CPU time. On a
 * shared machine the wall clock also counts time spent waiting for a CPU;
 * CPU time also counts GC helper threads running in parallel. The smaller
 * is the closer to the work's own time, on both sides alike; on an idle
 * machine the two agree for these single-threaded loops.
 */
function timed(run: () => void): number {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  run();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return Math.min(wall, (cpu.user + cpu.system) / 1e6);
}

/** Lookups per second of `run`, which must return `check` (the same answer as the other side). */
function rate(lookups: number, check: number, run: () => number): number {
  let got = Number.NaN;
  const seconds = timed(() => {
    got = run();
  });
  if (got !== check) throw new Error(`benchmark answers disagree: ${got} vs ${check}`);
  return lookups / seconds;
}

function label(n: number): string {
  return n >= 1e6 ? `${n / 1e6}M` : `${n / 1e3}k`;
}

interface SizeResult {
  rows: Row[];
  mapHit: number;
  setHit: number;
  mapBytesRatio: number;
  memory: string;
}

function benchSize(n: number): SizeResult {
  const next = random32(n);
  const keys = randomIds(n, next);
  const values = new Uint32Array(n);
  for (let i = 0; i < n; i++) values[i] = next() >>> 1;

  let h0 = heapUsed();
  const jsMap = new Map<number, number>();
  for (let i = 0; i < n; i++) jsMap.set(keys[i]!, values[i]!);
  const jsMapBytes = (heapUsed() - h0) / n;
  h0 = heapUsed();
  const jsSet = new Set<number>();
  for (let i = 0; i < n; i++) jsSet.add(keys[i]!);
  const jsSetBytes = (heapUsed() - h0) / n;

  const mb = new MapBuilder('bench-map', n);
  const sb = new SetBuilder('bench-set', n);
  for (let i = 0; i < n; i++) {
    mb.add(keys[i]!, values[i]!);
    sb.add(keys[i]!);
  }
  const map = mb.build();
  const set = sb.build();
  if (map.size !== jsMap.size || set.size !== jsSet.size) throw new Error('tables and JS collections differ in size');

  const lookups = Math.min(4_000_000, 2 * n);
  const hits = new Float64Array(lookups);
  for (let i = 0; i < lookups; i++) hits[i] = keys[next() % n]!;
  const misses = randomIds(lookups, next);
  const sequences = { hit: hits, miss: misses };
  const boxedSeq = { hit: boxed(hits), miss: boxed(misses) };
  const outValues = new Uint32Array(lookups);
  const outFlags = new Uint8Array(lookups);

  const samples: Record<string, number[]> = {};
  const add = (key: string, r: number): void => {
    (samples[key] ??= []).push(r);
  };
  // Run 0 warms everything up (optimization, page faults); runs 1..RUNS count.
  for (let run = 0; run <= RUNS; run++) {
    for (const kind of ['hit', 'miss'] as const) {
      const ids = sequences[kind];
      const ids2 = boxedSeq[kind];
      const sum = jsGets(jsMap, ids);
      const count = jsHas(jsSet, ids);
      const results: [string, number][] = [
        [`map.get ${kind}`, rate(lookups, sum, () => ourGets(map, ids))],
        [`Map.get ${kind}`, rate(lookups, sum, () => jsGets(jsMap, ids))],
        [`Map.get boxed ${kind}`, rate(lookups, sum, () => jsGetsBoxed(jsMap, ids2))],
        [`map.getMany ${kind}`, rate(lookups, sum, () => ourGetMany(map, ids, outValues))],
        [`set.has ${kind}`, rate(lookups, count, () => ourHas(set, ids))],
        [`Set.has ${kind}`, rate(lookups, count, () => jsHas(jsSet, ids))],
        [`Set.has boxed ${kind}`, rate(lookups, count, () => jsHasBoxed(jsSet, ids2))],
        [`set.hasMany ${kind}`, rate(lookups, count, () => ourHasMany(set, ids, outFlags))],
      ];
      if (run > 0) for (const [key, r] of results) add(key, r);
    }
  }
  const m = (key: string): number => median(samples[key]!);
  // Ratios are taken run by run (each rankd figure against the JS figures of
  // the same run, measured moments apart), then the median: steadier than a
  // ratio of medians when other processes load the machine unevenly.
  const ratio = (ours: string, a: string, b: string): number =>
    median(samples[ours]!.map((r, i) => r / Math.max(samples[a]![i]!, samples[b]![i]!)));
  const entries = label(n);
  const rows: Row[] = [];
  for (const kind of ['hit', 'miss']) {
    const plural = kind === 'hit' ? 'hits' : 'misses';
    const js = (what: 'Map.get' | 'Set.has'): Pick<Row, 'theirs' | 'theirsName'> => {
      const plain = m(`${what} ${kind}`);
      const boxedIds = m(`${what} boxed ${kind}`);
      return { theirs: Math.max(plain, boxedIds), theirsName: plain >= boxedIds ? what : `${what} (boxed ids)` };
    };
    for (const [ours, what] of [
      ['map.get', 'Map.get'],
      ['map.getMany', 'Map.get'],
      ['set.has', 'Set.has'],
      ['set.hasMany', 'Set.has'],
    ] as const) {
      rows.push({
        entries,
        what: `${ours} ${plural}`,
        ours: m(`${ours} ${kind}`),
        ...js(what),
        ratio: ratio(`${ours} ${kind}`, `${what} ${kind}`, `${what} boxed ${kind}`),
      });
    }
  }
  const mapBytes = map.bytes / n;
  const setBytes = set.bytes / n;
  const memory =
    `${entries}: map ${mapBytes.toFixed(1)} B/entry vs Map ${jsMapBytes.toFixed(1)} (${(mapBytes / jsMapBytes).toFixed(2)}); ` +
    `set ${setBytes.toFixed(1)} vs Set ${jsSetBytes.toFixed(1)} (${(setBytes / jsSetBytes).toFixed(2)})`;
  const hitRow = (what: string): Row => rows.find((r) => r.what === what)!;
  return {
    rows,
    mapHit: hitRow('map.get hits').ratio,
    setHit: hitRow('set.has hits').ratio,
    mapBytesRatio: mapBytes / jsMapBytes,
    memory,
  };
}

/** A map file of `lines` random `id<TAB>value` lines, written in large blocks. */
function writeMapFile(file: string, lines: number): void {
  const next = random32(77);
  const fd = openSync(file, 'w');
  try {
    const block = Buffer.allocUnsafe(8 << 20);
    let at = 0;
    for (let i = 0; i < lines; i++) {
      if (at > block.length - 64) {
        writeSync(fd, block, 0, at);
        at = 0;
      }
      at += block.write(`${(next() >>> 11) * 2 ** 32 + next()}\t${next() >>> 1}\n`, at, 'latin1');
    }
    writeSync(fd, block, 0, at);
  } finally {
    closeSync(fd);
  }
}

async function benchLoad(): Promise<{ linesPerS: number; text: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rankd-bench-globaldb-'));
  try {
    const file = path.join(dir, 'map.txt');
    writeMapFile(file, LOAD_LINES);
    const bytes = statSync(file).size;
    const seconds: number[] = [];
    for (let run = 0; run < LOAD_RUNS; run++) {
      gc!();
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const image = await loadTable({ name: 'load', kind: 'map', file, separator: '\t', format: 'auto' });
      const cpu = process.cpuUsage(cpu0);
      // As in timed(): the loader thread's CPU time is the process's, this thread only waits.
      seconds.push(Math.min((performance.now() - t0) / 1000, (cpu.user + cpu.system) / 1e6));
      if (image.size < LOAD_LINES * 0.99) throw new Error(`loaded ${image.size} entries of ${LOAD_LINES}`);
    }
    const s = median(seconds);
    return {
      linesPerS: LOAD_LINES / s,
      text:
        `load: ${label(LOAD_LINES)}-line map file (${(bytes / 2 ** 20).toFixed(0)} MiB) through loadTable, ` +
        `median of ${LOAD_RUNS}: ${s.toFixed(2)} s = ${((LOAD_LINES / s) / 1e6).toFixed(2)}M lines/s, ${((bytes / 2 ** 20) / s).toFixed(0)} MiB/s`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `globaldb bench${quick ? ' (--quick)' : ''}: node ${process.version}, ${os.cpus().length} CPUs; ` +
      `ids uniform random in [0, 2^53), values < 2^31; medians of ${RUNS} runs after a warm-up run; ` +
      `load average ${os.loadavg()[0]!.toFixed(1)} at start (figures from a busy machine are low and noisy)`,
  );
  const results = new Map<number, SizeResult>();
  for (const n of SIZES) results.set(n, benchSize(n));

  const head = ['entries', 'lookups', 'rankd M/s', 'JS M/s', 'rankd/JS', 'JS side'];
  const body = [...results.values()].flatMap((r) =>
    r.rows.map((row) => [
      row.entries,
      row.what,
      (row.ours / 1e6).toFixed(1),
      (row.theirs / 1e6).toFixed(1),
      `${row.ratio.toFixed(2)}×`,
      row.theirsName,
    ]),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  for (const r of [head, ...body]) console.log(r.map((c, i) => (i < 2 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  console.log('memory (shared table bytes vs heap growth of the JS collection):');
  for (const r of results.values()) console.log(`  ${r.memory}`);

  const load = await benchLoad();
  console.log(load.text);
  console.log(`load average ${os.loadavg()[0]!.toFixed(1)} at the end`);

  const r1 = results.get(1_000_000)!;
  const r10 = results.get(10_000_000);
  const round = (x: number): number => Math.round(x * 100) / 100;
  console.log(
    JSON.stringify({
      bench: 'globaldb',
      map_hit_vs_Map_1m: round(r1.mapHit),
      map_hit_vs_Map_10m: r10 === undefined ? null : round(r10.mapHit),
      set_hit_vs_Set_1m: round(r1.setHit),
      // The worse (larger) of the sizes measured: Map's per-entry cost grows with size, ours does not.
      map_bytes_vs_Map: round(Math.max(...[...results.values()].map((r) => r.mapBytesRatio))),
      load_lines_per_s: Math.round(load.linesPerS),
    }),
  );
}

await main();
