import { closeSync, fdatasync, openSync } from 'node:fs';

/**
 * Makes committed transactions durable without blocking the event loop. SQLite commits with
 * `synchronous=NORMAL` (frames written to the WAL, no fsync), then this fdatasyncs the WAL file on
 * libuv's thread pool, and only then are the writers answered. What is acknowledged is on disk, as with
 * `synchronous=FULL` (which syncs the WAL at each commit), but the main thread keeps serving requests
 * during the sync, and the next batch commits while this one's sync is in flight.
 */
export class WalSync {
  readonly #walPath: string | undefined;
  #fd: number | undefined;

  /** `dbPath` of `:memory:` needs no sync (nothing is durable there anyway). */
  constructor(dbPath: string) {
    this.#walPath = dbPath === ':memory:' || dbPath === '' ? undefined : `${dbPath}-wal`;
  }

  /** Resolves once everything committed so far has reached the disk. */
  sync(): Promise<void> {
    if (this.#walPath === undefined) return Promise.resolve();
    // The WAL exists from the first commit on, and stays (it is reset, never deleted) while open.
    this.#fd ??= openSync(this.#walPath, 'r+');
    const fd = this.#fd;
    return new Promise((resolve, reject) => {
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    });
  }

  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
