import type { TableImage } from '../../globaldb/table.js';

/** What the main thread broadcasts to pool threads on every swap. */
export interface GenerationMessage {
  generation: number;
  tables: Record<string, TableImage>;
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
