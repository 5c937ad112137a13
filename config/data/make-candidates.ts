/**
 * Writes config/data/candidates.txt: the default candidate list of the rank
 * work (used when a Call names a user but no candidates, as offline runs do):
 * key 0 → a JSON array of 200 items with 40 features each. Fixed seed:
 *   npx tsx config/data/make-candidates.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let a = 20261122;
const next = () => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = a;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Candidates are items of the sample catalogue, so blacklist and category caps apply to them.
const items = readFileSync(fileURLToPath(new URL('./item_category.txt', import.meta.url)), 'utf8')
  .split('\n')
  .filter((l) => /^\d/.test(l))
  .map((l) => l.split('\t')[0]!);
const candidates = Array.from({ length: 200 }, (_, i) => {
  const features: Record<string, number> = {};
  while (Object.keys(features).length < 40) features[String(Math.floor(next() * 16384))] = Number(next().toFixed(3));
  return { id: items[(i * 7) % items.length], features };
});
writeFileSync(
  fileURLToPath(new URL('./candidates.txt', import.meta.url)),
  `# rank work default candidates: key 0 -> JSON list (config/data/make-candidates.ts)\n0\t${JSON.stringify(candidates)}\n`,
);
