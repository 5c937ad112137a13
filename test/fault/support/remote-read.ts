import type { RankdChild } from '../../support/rankd-child.js';

/** What the remote_read work answers: the values, or (with report) the failure; and how long the read took in the work. */
export interface ReadReport {
  values?: unknown[];
  error?: string;
  code?: number;
  ms: number;
}

/** Reads `keys` from `source` through the remote_read work; a failed read is answered as a report, not a failed call. */
export function readReport(rankd: RankdChild, source: string, keys: (string | number)[]): Promise<ReadReport> {
  return rankd.rank.call({ api: 'remote_read', source, keys, report: true }) as Promise<ReadReport>;
}

/** The same read as a plain call: a failed read fails the call. */
export function readCall(rankd: RankdChild, source: string, keys: (string | number)[]): Promise<ReadReport> {
  return rankd.rank.call({ api: 'remote_read', source, keys }) as Promise<ReadReport>;
}
