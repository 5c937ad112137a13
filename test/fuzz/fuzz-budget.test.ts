import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FUZZ_BUDGET, type PropertyBudget } from './support/fuzz-budget.js';

/**
 * The fuzz suite's size, visible and checked: at least 10,000 generated
 * cases in CI, and every budgeted property run by exactly one test file.
 */

const MIN_CASES = 10_000;
const entries = Object.entries(FUZZ_BUDGET) as [string, PropertyBudget][];

describe('fuzz budget', () => {
  it(`runs at least ${MIN_CASES} cases in total`, () => {
    const rows = entries.map(([name, b]) => ({ property: name, cases: b.numRuns, 'requests or files': b.numRuns * (b.perRun ?? 1) }));
    const cases = rows.reduce((n, r) => n + r.cases, 0);
    const sent = rows.reduce((n, r) => n + r['requests or files'], 0);
    console.log(
      [
        ...rows.map((r) => `${String(r.cases).padStart(6)} cases ${String(r['requests or files']).padStart(7)} requests/files  ${r.property}`),
        `${String(cases).padStart(6)} cases ${String(sent).padStart(7)} requests/files  TOTAL`,
      ].join('\n'),
    );
    expect(cases).toBeGreaterThanOrEqual(MIN_CASES);
  });

  it('every budgeted property is run by exactly one fuzz test file', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.test.ts') && f !== 'fuzz-budget.test.ts')
      .map((f) => [f, readFileSync(`${dir}/${f}`, 'utf8')] as const);
    for (const [name] of entries) {
      const users = sources.filter(([, text]) => text.includes(`'${name}'`)).map(([f]) => f);
      expect(users, name).toHaveLength(1);
    }
  });
});
