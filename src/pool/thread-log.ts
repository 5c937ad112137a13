import { threadId } from 'node:worker_threads';
import type { WorkLog } from './work.js';

/** JSON lines on stderr for works and algorithms; `fields` always carry the request. */
export function threadLog(base: Record<string, unknown>): WorkLog {
  const line = (level: string, msg: string, fields?: Record<string, unknown>) =>
    process.stderr.write(`${JSON.stringify({ time: Date.now(), level, thread: threadId, ...base, ...fields, msg })}\n`);
  return {
    debug: () => {},
    info: (msg, fields) => line('info', msg, fields),
    warn: (msg, fields) => line('warn', msg, fields),
    error: (msg, fields) => line('error', msg, fields),
  };
}
