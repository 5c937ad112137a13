import type { Etcd3, Watcher } from 'etcd3';

export interface KeyEvent {
  type: 'put' | 'delete';
  key: string;
  /** When this process heard it. */
  at: number;
}

/** Records the puts and deletes under a folder as the test sees them, with local times. */
export class KeyEvents {
  readonly events: KeyEvent[] = [];
  private watcher: Watcher | undefined;

  constructor(
    private readonly etcd: Etcd3,
    private readonly folder: string,
  ) {}

  async start(): Promise<this> {
    this.watcher = await this.etcd.watch().prefix(this.folder).create();
    this.watcher.on('put', (kv) => this.events.push({ type: 'put', key: kv.key.toString(), at: Date.now() }));
    this.watcher.on('delete', (kv) => this.events.push({ type: 'delete', key: kv.key.toString(), at: Date.now() }));
    return this;
  }

  /** The first deletion of `key` heard at or after `since`. */
  deletion(key: string, since = 0): KeyEvent | undefined {
    return this.events.find((event) => event.type === 'delete' && event.key === key && event.at >= since);
  }

  async stop(): Promise<void> {
    await this.watcher?.cancel();
  }
}
