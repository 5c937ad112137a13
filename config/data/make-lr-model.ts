/**
 * Writes the sample LR model of the default deployment: config/data/lr_weights.txt,
 * a weights table of 1 + 2^14 rows × 1 column (row 0 is the bias; see algorithms/lr.ts).
 * Deterministic (fixed seed), so the committed file can be regenerated exactly:
 *   npx tsx config/data/make-lr-model.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROWS = 1 + 2 ** 14;

/** mulberry32: a tiny seeded generator, enough for sample weights. */
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

const next = random(20261122);
const lines = ['# rankd weights: 16385 rows x 1 col; row 0 = bias (LR sample model, seed 20261122)', '-1.5'];
for (let i = 1; i < ROWS; i++) lines.push(((next() - 0.5) * 0.4).toFixed(6));
writeFileSync(fileURLToPath(new URL('./lr_weights.txt', import.meta.url)), `${lines.join('\n')}\n`);
