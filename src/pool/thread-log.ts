import { threadId } from 'node:worker_threads';
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../config/rankd-ini.js';
import type { WorkLog } from './work.js';

let logger: Logger | undefined;

/** Sets this thread's log level (once, at thread start). */
export function configureThreadLog(level: LogLevel): void {
  logger = pino({ level, base: { pid: process.pid, thread: threadId } });
}

function threadLogger(): Logger {
  return (logger ??= pino({ level: 'info', base: { pid: process.pid, thread: threadId } }));
}

/** A work's log: JSON lines whose fields always carry the request (request_id, api). */
export function threadLog(base: Record<string, unknown>): WorkLog {
  const l = threadLogger();
  return {
    debug: (msg, fields) => l.debug({ ...base, ...fields }, msg),
    info: (msg, fields) => l.info({ ...base, ...fields }, msg),
    warn: (msg, fields) => l.warn({ ...base, ...fields }, msg),
    error: (msg, fields) => l.error({ ...base, ...fields }, msg),
  };
}
