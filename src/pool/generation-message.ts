import type { TableImage } from '../../globaldb/table.js';
import type { SourceSpec } from '../remote/source-spec.js';

/** The remote sources threads should have clients for; `version` moves on every UpdateDb. */
export interface RemoteState {
  version: number;
  specs: SourceSpec[];
}

/**
 * What the main thread broadcasts to pool threads on every swap: the tables
 * and the remote sources, so UpdateDb reaches every thread (idle ones too, at
 * their next task) the same way a table swap does.
 */
export interface GenerationMessage {
  generation: number;
  tables: Record<string, TableImage>;
  remote: RemoteState;
}

/** What a pool thread posts on its parentPort (the pool re-emits it as 'message'). */
export interface ThreadHello {
  rankd: 'hello';
  threadId: number;
}

export function isThreadHello(m: unknown): m is ThreadHello {
  return typeof m === 'object' && m !== null && (m as ThreadHello).rankd === 'hello';
}

/** Shared by both sides of one process: the channel and the control buffer. */
export interface GenerationLink {
  channelName: string;
  control: SharedArrayBuffer;
}
