import { isAbsolute } from 'node:path';
import { expect } from 'vitest';
import { ConfigError, formatProblem, type ConfigProblem } from '../../../src/config/config-error.js';

/** What reading a config file came to: its value, or what was thrown. */
export type ConfigOutcome<T> = { value: T } | { error: unknown };

export function readConfig<T>(read: () => T): ConfigOutcome<T> {
  try {
    return { value: read() };
  } catch (error) {
    return { error };
  }
}

/** The problems of a ConfigError; fails on a value or on anything else thrown (a crash, not a refusal). */
export function problemsOf(outcome: ConfigOutcome<unknown>): readonly ConfigProblem[] {
  if ('value' in outcome) throw new Error('expected a ConfigError, but the file loaded');
  const err = outcome.error;
  if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}${err instanceof Error ? `\n${err.stack}` : ''}`);
  return err.problems;
}

/** A refusal is well formed: every problem names an absolute file and says something; the message lists them all, one per line. */
export function expectWellFormedRefusal(outcome: ConfigOutcome<unknown>, files: (file: string) => boolean): readonly ConfigProblem[] {
  const problems = problemsOf(outcome);
  expect(problems.length).toBeGreaterThan(0);
  for (const p of problems) {
    expect(isAbsolute(p.file) && files(p.file), `problem in an unexpected file: ${formatProblem(p)}`).toBe(true);
    expect(p.message.trim(), formatProblem(p)).not.toBe('');
  }
  expect((outcome as { error: Error }).error.message).toBe(problems.map(formatProblem).join('\n'));
  return problems;
}

export interface ProblemPlace {
  file: string;
  section?: string;
  key?: string;
}

/** Refused with exactly one problem, at `place` (section and key as given; undefined section = before any section). */
export function expectOneProblemAt(outcome: ConfigOutcome<unknown>, place: ProblemPlace): ConfigProblem {
  const problems = expectWellFormedRefusal(outcome, (f) => f === place.file);
  expect(problems.map(formatProblem), `expected one problem at ${JSON.stringify(place)}`).toHaveLength(1);
  const p = problems[0]!;
  expect({ file: p.file, section: p.section, key: p.key }).toEqual({ file: place.file, section: place.section, key: place.key });
  return p;
}

/** The value of an outcome that must have loaded; fails with the problems otherwise. */
export function loadedValue<T>(outcome: ConfigOutcome<T>): T {
  if ('error' in outcome) throw new Error(`expected the config to load, but: ${String(outcome.error)}`);
  return outcome.value;
}
