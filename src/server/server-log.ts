import { pino } from 'pino';
import type { LogLevel } from '../config/rankd-ini.js';

/**
 * How the main thread's parts log: a message, structured fields, a level
 * (info when omitted). One signature for the server, controller, discovery
 * and the offline runner; pino writes JSON lines.
 */
export type ServerLog = (msg: string, fields?: Record<string, unknown>, level?: 'debug' | 'info' | 'warn' | 'error') => void;

/** JSON lines on stdout at `level` and above. */
export function serverLog(level: LogLevel, destination?: NodeJS.WritableStream): ServerLog {
  const logger = pino({ level, base: { pid: process.pid } }, destination as never);
  return (msg, fields = {}, at = 'info') => logger[at](fields, msg);
}

/** For tests and embedders that want silence. */
export const silentLog: ServerLog = () => {};
