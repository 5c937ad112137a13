import { readdirSync, readlinkSync } from 'node:fs';

/** Whether process `pid` has `file` open now (Linux: its /proc/<pid>/fd links). */
export function hasFileOpen(pid: number, file: string): boolean {
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === file) return true;
    } catch {
      // Closed between the listing and the read.
    }
  }
  return false;
}
