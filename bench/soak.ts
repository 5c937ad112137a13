/**
 * npm run soak [-- --quick] [-- --out DIR]
 *
 * Ten minutes (--quick: one) of mixed load against a rankd child process —
 * typed Rank, JSON Call of the rank work, and a slow api that awaits 20 ms,
 * each at a steady pace — while UpdateGlobal swaps a 1M-entry table every
 * 3 s and UpdateWork replaces the pool every 30 s. Every second it samples
 * the server's RSS (/proc/<pid>/status) and its ArrayBuffer and external
 * memory (admin /metrics), and writes per-second memory and p99 as CSV and
 * SVG into --out (default bench/results/).
 *
 * Last line: {"bench":"soak","calls","failed","rss_growth","swap_p99_vs_steady"}
 *   rss_growth          RSS at the end ÷ RSS after the first minute (--quick:
 *                       15 s) − 1, each the median of a window of samples;
 *                       target |rss_growth| ≤ 0.10
 *   swap_p99_vs_steady  p99 of the calls whose span met an UpdateGlobal ÷ p99
 *                       of the calls that met no update; target ≤ 1.5 (calls
 *                       that met an UpdateWork are reported apart)
 *   failed              target 0; failed calls or refused updates exit 1
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CallRecorder, quantile } from './soak/call-recorder.js';
import { startControlCadence } from './soak/control-cadence.js';
import { startMemorySampler } from './soak/memory-sampler.js';
import { startMixedLoad } from './soak/mixed-load.js';
import { soakChart } from './soak/soak-chart.js';
import { medianRss, rowsCsv, secondRows } from './soak/soak-series.js';
import { startSoakServer, SWAP_ENTRIES } from './soak/soak-server.js';
import { SwapLog } from './soak/swap-log.js';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, out: { type: 'string', default: path.join('bench', 'results') } },
  strict: true,
});
const quick = args.quick!;
const DURATION_MS = quick ? 60_000 : 600_000;
/** Where the RSS baseline is taken ("after the first minute"), and the width of the windows RSS is the median of. */
const BASELINE_MS = quick ? 15_000 : 60_000;
const WINDOW_MS = quick ? 5_000 : 10_000;

const MB = 1024 * 1024;
const ms = (v: number) => `${v.toFixed(2)} ms`;

async function main(): Promise<number> {
  const rankd = await startSoakServer();
  try {
    const t0 = performance.now();
    const clock = () => performance.now() - t0;
    const swaps = new SwapLog();
    const recorder = new CallRecorder(swaps);
    const sampler = startMemorySampler(rankd.pid, rankd.adminPort, clock);
    const load = startMixedLoad(rankd, recorder, clock);
    const control = startControlCadence(rankd, swaps, clock);
    await new Promise((resolve) => setTimeout(resolve, DURATION_MS));
    await control.stop();
    await load.stop();
    await sampler.stop();
    const seconds = clock() / 1000;

    const name = quick ? 'soak-quick' : 'soak';
    const rows = secondRows(sampler.samples, recorder, swaps);
    mkdirSync(args.out!, { recursive: true });
    const csv = path.join(args.out!, `${name}.csv`);
    const svg = path.join(args.out!, `${name}.svg`);
    writeFileSync(csv, rowsCsv(rows));
    writeFileSync(svg, soakChart(`rankd soak (${quick ? '1 min' : '10 min'}): UpdateGlobal of ${SWAP_ENTRIES} entries / 3 s, UpdateWork / 30 s`, rows, swaps.intervals));

    const rssBase = medianRss(sampler.samples, BASELINE_MS, BASELINE_MS + WINDOW_MS);
    const rssEnd = medianRss(sampler.samples, DURATION_MS - WINDOW_MS, Number.POSITIVE_INFINITY);
    const swapP99 = quantile(recorder.duringSwap, 0.99);
    const steadyP99 = quantile(recorder.steady, 0.99);
    const updates = (kind: string) => swaps.intervals.filter((i) => i.kind === kind);
    const last = sampler.samples.at(-1)!;

    const out = (line: string) => process.stdout.write(`  ${line}\n`);
    process.stdout.write(`bench:soak (${quick ? 'quick' : 'full'}; ${os.cpus().length} cores, ${os.cpus()[0]?.model}; ${seconds.toFixed(0)} s)\n`);
    for (const [kind, latencies] of Object.entries(recorder.byKind)) {
      out(`${kind.padEnd(5)} ${(latencies.length / seconds).toFixed(0).padStart(6)} calls/s  p50 ${ms(quantile(latencies, 0.5))}  p99 ${ms(quantile(latencies, 0.99))}`);
    }
    out(`calls ${recorder.calls}, failed ${recorder.failed}${recorder.firstError ? ` (first: ${recorder.firstError})` : ''}`);
    out(`p99 of calls during an UpdateGlobal ${ms(swapP99)} (${recorder.duringSwap.length} calls), during an UpdateWork ${ms(quantile(recorder.duringWorkReload, 0.99))} (${recorder.duringWorkReload.length}), during neither ${ms(steadyP99)} (${recorder.steady.length})`);
    for (const kind of ['UpdateGlobal', 'UpdateWork']) {
      const done = updates(kind).filter((i) => i.ok);
      const mean = done.reduce((sum, i) => sum + (i.end! - i.start), 0) / Math.max(1, done.length);
      out(`${kind}: ${done.length} of ${updates(kind).length} done, ${mean.toFixed(0)} ms on average`);
    }
    for (const e of control.errors.slice(0, 5)) out(`  refused: ${e}`);
    out(`RSS ${(rssBase / MB).toFixed(0)} MiB at ${BASELINE_MS / 1000} s → ${(rssEnd / MB).toFixed(0)} MiB at the end (peak ${(Math.max(...sampler.samples.map((s) => s.rssBytes)) / MB).toFixed(0)} MiB)`);
    out(`at the end: tables ${(last.tableBytes / MB).toFixed(0)} MiB; main thread ArrayBuffers ${(last.arrayBuffersBytes / MB).toFixed(0)} MiB, external ${(last.externalBytes / MB).toFixed(0)} MiB`);
    out(`wrote ${csv} and ${svg}`);
    const result = {
      bench: 'soak',
      calls: recorder.calls,
      failed: recorder.failed,
      rss_growth: Number((rssEnd / rssBase - 1).toFixed(3)),
      swap_p99_vs_steady: Number((swapP99 / steadyP99).toFixed(2)),
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return recorder.failed === 0 && control.errors.length === 0 ? 0 : 1;
  } finally {
    await rankd.destroy();
  }
}

process.exitCode = await main();
