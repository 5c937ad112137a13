import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { faultWork } from '../../test/fault/support/fault-work.js';
import { addGlobalTable } from '../../test/support/global-table.js';
import { type RankdChild, startRankdChild } from '../../test/support/rankd-child.js';
import { serverNodeFlags } from '../server-node-flags.js';

/** The table UpdateGlobal swaps again and again, and its size. */
export const SWAP_TABLE = 'soak_map';
export const SWAP_ENTRIES = 1_000_000;
/** What the slow api awaits per call. */
export const SLOW_HOLD_MS = 20;

/**
 * A rankd child process for the soak: the shipped config/ plus a 1M-entry
 * map to swap, and a slow api ("slow": the probe test work awaiting 20 ms).
 * Four pool threads on this 2-core machine, so calls of the slow api (each
 * holds a thread while it waits) leave threads for the others. It runs as
 * the start command serves: scripts/bench.sh sets the same allocator
 * environment and node flags (scripts/server-env.sh).
 */
export function startSoakServer(): Promise<RankdChild> {
  return startRankdChild({
    ini: { pool: { threads: 4 }, log: { level: 'warn' } },
    nodeFlags: serverNodeFlags(),
    works: { slow: { module: faultWork('probe'), params: { hold_ms: SLOW_HOLD_MS } } },
    prepare: (dir) => {
      const lines: string[] = [];
      for (let i = 0; i < SWAP_ENTRIES; i++) lines.push(`${1_000_000_007 * (i + 1)}\t${i & 0xffff}`);
      writeFileSync(path.join(dir, 'data', `${SWAP_TABLE}.txt`), `${lines.join('\n')}\n`);
      addGlobalTable(dir, SWAP_TABLE, { DB_TYPE: 2, DB_FILE_NAME: `data/${SWAP_TABLE}.txt` });
    },
  });
}
