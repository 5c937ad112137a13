import { describe, expect, it } from 'vitest';
import { ProgressReport } from '../../src/offline/progress-report.js';

describe('ProgressReport', () => {
  it('counts keys skipped by --resume toward the total shown', () => {
    const out: string[] = [];
    const report = new ProgressReport(100, true, (s) => out.push(s));
    report.update(10, 1, 50);
    expect(out.at(-1)).toMatch(/^\r\[#{18}\.{12}\] 60\/100 keys, 1 failed, /);
    report.finish(50, 1, 50);
    expect(out.at(-1)).toMatch(/^done: 50 keys, 1 failed, 50 skipped \(already in the output\)/);
  });

  it('writes no plain line at the first batch, only every 5 s', () => {
    const out: string[] = [];
    const report = new ProgressReport(100, false, (s) => out.push(s));
    report.update(16, 0);
    expect(out).toEqual([]);
  });
});
