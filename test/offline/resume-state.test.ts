import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resumeState } from '../../src/offline/resume-state.js';
import { createTempDir, removeTempDir } from '../support/temp-dir.js';

const dir = createTempDir('resume-state');
afterAll(() => removeTempDir(dir));

describe('resumeState', () => {
  it('keeps whole lines with multi-byte keys and cuts the torn last one at its byte offset', () => {
    const file = path.join(dir, 'out.jsonl');
    const whole = ['{"key":"北京","response":1}\n', '{"key":"é","response":2}\n'];
    writeFileSync(file, `${whole.join('')}{"key":"3","resp`);
    expect([...resumeState(file)]).toEqual(['北京', 'é']);
    expect(readFileSync(file, 'utf8')).toBe(whole.join(''));
  });
});
