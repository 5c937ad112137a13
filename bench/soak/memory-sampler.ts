import { readFileSync } from 'node:fs';
import { paced } from './paced.js';

/** One sample of the server's memory, at `t` ms on the soak's clock. */
export interface MemorySample {
  t: number;
  /** Resident set size (VmRSS). */
  rssBytes: number;
  /** ArrayBuffers and SharedArrayBuffers held by its main thread (the global tables among them). */
  arrayBuffersBytes: number;
  /** V8's external memory of its main thread. */
  externalBytes: number;
  /** Shared memory of the current generation's global tables (rankd_table_bytes, summed). */
  tableBytes: number;
}

/**
 * Samples a rankd process every second: RSS from /proc/<pid>/status, and
 * from its admin /metrics the main thread's ArrayBuffer and external memory
 * and the bytes of the current tables. (Tables are built in loader threads:
 * their SharedArrayBuffers count in the RSS and the table bytes, not in the
 * main thread's ArrayBuffer figure.)
 */
export function startMemorySampler(pid: number, adminPort: number, clock: () => number): { samples: MemorySample[]; stop(): Promise<void> } {
  const samples: MemorySample[] = [];
  let stopped = false;
  const loop = paced(1000, () => stopped, async () => {
    const t = clock();
    const [rssBytes, metrics] = [vmRss(pid), await scrape(adminPort)];
    samples.push({
      t,
      rssBytes,
      arrayBuffersBytes: gaugeValue(metrics, 'rankd_process_array_buffers_bytes'),
      externalBytes: gaugeValue(metrics, 'rankd_process_nodejs_external_memory_bytes'),
      tableBytes: sumOf(metrics, 'rankd_table_bytes'),
    });
  });
  return {
    samples,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** VmRSS of a process, in bytes. */
export function vmRss(pid: number): number {
  const kb = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (kb === undefined) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(kb) * 1024;
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

function gaugeValue(metrics: string, name: string): number {
  const value = new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1];
  if (value === undefined) throw new Error(`/metrics has no ${name}`);
  return Number(value);
}

/** The sum of a labelled gauge's series. */
function sumOf(metrics: string, name: string): number {
  let sum = 0;
  for (const m of metrics.matchAll(new RegExp(`^${name}\\{[^}]*\\} (\\S+)$`, 'gm'))) sum += Number(m[1]);
  return sum;
}
