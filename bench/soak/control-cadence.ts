import type { RankdChild } from '../../test/support/rankd-child.js';
import { paced } from './paced.js';
import { SWAP_TABLE } from './soak-server.js';
import type { SwapLog } from './swap-log.js';

const GLOBAL_EVERY_MS = 3000;
/** UpdateWork runs after every tenth UpdateGlobal: every 30 s, never at the same time (updates run one at a time). */
const WORK_EVERY = 10;

/** UpdateGlobal of the 1M-entry table every 3 s and UpdateWork every 30 s, each logged with its span. */
export function startControlCadence(rankd: RankdChild, swaps: SwapLog, clock: () => number): { errors: string[]; stop(): Promise<void> } {
  const errors: string[] = [];
  let stopped = false;
  let tick = 0;
  const update = async (kind: 'UpdateGlobal' | 'UpdateWork', run: () => Promise<unknown>) => {
    const interval = swaps.begin(kind, clock());
    try {
      await run();
      interval.ok = true;
    } catch (e) {
      errors.push(`${kind}: ${(e as Error).message}`);
    } finally {
      interval.end = clock();
    }
  };
  const loop = paced(GLOBAL_EVERY_MS, () => stopped, async () => {
    await update('UpdateGlobal', () => rankd.control.updateGlobal([SWAP_TABLE]));
    if (++tick % WORK_EVERY === 0 && !stopped) await update('UpdateWork', () => rankd.control.updateWork());
  });
  return {
    errors,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}
