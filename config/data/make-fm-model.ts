/**
 * Writes the sample FM model of the default deployment (algorithms/fm.ts):
 * config/data/fm_weights.txt (1 + 2^11 rows × 1: the bias, then wᵢ) and
 * config/data/fm_factors.txt (1 + 2^11 rows × k = 8: vᵢ; row 0 unused).
 * Values come from MurmurHash3 of "fm:<table>:<row>:<col>" with a fixed seed,
 * so the committed files can be regenerated exactly:
 *   npx tsx config/data/make-fm-model.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { murmur3String } from '../../src/pool/murmur3.js';

const ROWS = 1 + 2 ** 11;
const K = 8;
const SEED = 20261122;

/** A deterministic value in [-scale/2, scale/2) for one cell. */
const cell = (table: string, row: number, col: number, scale: number) => (murmur3String(`fm:${table}:${row}:${col}`, SEED) / 2 ** 32 - 0.5) * scale;

const weights = [`# rankd weights: ${ROWS} rows x 1 col; row 0 = bias (FM sample model, make-fm-model.ts)`, '-1.2'];
for (let r = 1; r < ROWS; r++) weights.push(cell('w', r, 0, 0.4).toFixed(5));

const factors = [`# rankd weights: ${ROWS} rows x ${K} cols; row r = v of the features hashed to row r; row 0 unused (FM sample model)`];
factors.push(new Array(K).fill('0').join(' '));
for (let r = 1; r < ROWS; r++) factors.push(Array.from({ length: K }, (_, c) => cell('v', r, c, 0.3).toFixed(5)).join(' '));

const here = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));
writeFileSync(here('fm_weights.txt'), `${weights.join('\n')}\n`);
writeFileSync(here('fm_factors.txt'), `${factors.join('\n')}\n`);
