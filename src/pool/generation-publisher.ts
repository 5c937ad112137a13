import { randomUUID } from 'node:crypto';
import { BroadcastChannel } from 'node:worker_threads';
import type { TableImage } from '../../globaldb/table.js';
import {
  createControlBuffer,
  currentGeneration,
  oldestGenerationInUse,
  publishGeneration,
  releaseSlotOf,
} from './generation-control.js';
import type { SourceSpec } from '../remote/source-spec.js';
import type { GenerationLink, GenerationMessage, RemoteState } from './generation-message.js';

/**
 * The main thread's side of the generations: it broadcasts each new set of
 * table images to every pool thread (of every pool), then publishes the
 * generation number, so a task that sees the number finds the images queued.
 */
export class GenerationPublisher {
  readonly link: GenerationLink;
  private readonly control: Int32Array;
  private readonly channel: BroadcastChannel;
  private current: GenerationMessage;

  constructor(sources: SourceSpec[] = []) {
    this.current = { generation: 0, tables: {}, remote: { version: 1, specs: sources } };
    this.link = { channelName: `rankd-generations-${randomUUID()}`, control: createControlBuffer() };
    this.control = new Int32Array(this.link.control);
    this.channel = new BroadcastChannel(this.link.channelName);
    this.channel.unref();
  }

  get generation(): number {
    return currentGeneration(this.control);
  }

  get tables(): Readonly<Record<string, TableImage>> {
    return this.current.tables;
  }

  get remote(): RemoteState {
    return this.current.remote;
  }

  /** Makes `tables` (and `sources`, when given) the current generation; returns its number. */
  publish(tables: Record<string, TableImage>, sources?: SourceSpec[]): number {
    const generation = this.current.generation + 1;
    const { remote } = this.current;
    this.current = { generation, tables, remote: sources === undefined ? remote : { version: remote.version + 1, specs: sources } };
    this.channel.postMessage(this.current);
    publishGeneration(this.control, generation);
    return generation;
  }

  /** A thread that started after the last broadcast asked for the current generation. */
  rebroadcast(): void {
    if (this.current.generation > 0) this.channel.postMessage(this.current);
  }

  /** A thread ended: it holds nothing any more. */
  threadGone(threadId: number): void {
    releaseSlotOf(this.control, threadId);
  }

  /** True when no running task uses a generation older than `generation`. */
  unusedBefore(generation: number): boolean {
    return oldestGenerationInUse(this.control) >= generation;
  }

  close(): void {
    this.channel.close();
  }
}
