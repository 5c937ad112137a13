import { expect } from 'vitest';
import { LoadError } from '../../../globaldb/load-error.js';
import { loadTable } from '../../../globaldb/load-table.js';
import { loadTableFile } from '../../../globaldb/load-table-file.js';
import { openTable } from '../../../globaldb/open-table.js';
import type { AnyTable, TableSpec } from '../../../globaldb/table.js';

/** What loading a table file came to: the table, or what was thrown. */
export type LoadOutcome = { table: AnyTable } | { error: unknown };

/** Loads in this thread, through the parser the loader thread runs (fast: thousands of cases). */
export function loadHere(spec: TableSpec): LoadOutcome {
  try {
    return { table: loadTableFile(spec) };
  } catch (error) {
    return { error };
  }
}

/** Loads as the server does: in a loader thread, the image opened here. */
export async function loadInThread(spec: TableSpec): Promise<LoadOutcome> {
  try {
    return { table: openTable(await loadTable(spec)) };
  } catch (error) {
    return { error };
  }
}

/** The table of an outcome that must have loaded; fails with the load error otherwise. */
export function loadedTable(outcome: LoadOutcome): AnyTable {
  if ('error' in outcome) throw new Error(`expected the file to load, but: ${String(outcome.error)}`);
  return outcome.table;
}

/**
 * Checks a refusal: a LoadError for `file`, at `line` (0 = the file as a
 * whole), with a reason, and the message `file:line: reason` (`file: reason`
 * for line 0). Returns the reason for further checks.
 */
export function expectRefusedAt(outcome: LoadOutcome, file: string, line: number): string {
  if ('table' in outcome) throw new Error(`expected a refusal at line ${line}, but the file loaded (${outcome.table.size} entries)`);
  const err = outcome.error;
  expect(err, String(err)).toBeInstanceOf(LoadError);
  const e = err as LoadError;
  expect({ file: e.file, line: e.line }, e.message).toEqual({ file, line });
  expect(e.reason.trim()).not.toBe('');
  expect(e.message).toBe(line > 0 ? `${file}:${line}: ${e.reason}` : `${file}: ${e.reason}`);
  return e.reason;
}
