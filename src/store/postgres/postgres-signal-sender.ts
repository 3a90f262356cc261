import type { Pool } from 'pg';
import type { ChangeSignal } from '../store.js';
import { Batcher } from './postgres-batcher.js';
import { type SqlNames, WORK_SIGNALS } from './postgres-config.js';
import { rows, statement } from './postgres-connection.js';

/** NOTIFY refuses payloads of 8000 bytes or more; a chunk stays well under. */
const CHUNK_BYTES = 7000;

/** One NOTIFY per (channel, payload) pair of the parallel arrays $1, $2. */
const NOTIFY = statement(
  'notify',
  'SELECT count(pg_notify(c, p))::int AS sent FROM unnest($1::text[], $2::text[]) AS t (c, p)',
);

/**
 * Tells the other processes on the schema what this store changed, after each change committed. A
 * create is the exception: its insert NOTIFYs in the statement (queries/sql-parts.ts), so a waiting
 * worker hears of new work at the commit instead of a round trip later; creates then queue only
 * behind each other's flushes, as in every PostgreSQL job queue that wakes its workers by NOTIFY.
 * A claim does not NOTIFY in its statement although its commit does not wait for the disk: it would
 * still wait for the lock a create holds through its flush, on the way from submit to start
 * (pg_stat_activity samples at 200 submissions/s: a quarter of the claims' time in Lock:object).
 *
 * Why not NOTIFY inside the writing statement: PostgreSQL serialises every transaction that notifies,
 * from its NOTIFY to the end of its commit, disk flush included (one lock per database, so that
 * notifications arrive in commit order). Creates, claims and finishes of every process then queued
 * behind each other's flushes: at 200 submissions/s beside two workers, `submit()` took 8.5 to 10.8 ms
 * (p50), against 4.0 to 5.9 once claims and finishes stopped notifying in their statements. Here the
 * notifications go out in a statement of their own, on a connection whose commits do not wait for
 * the disk (see asyncCommitPool): the lock is held for microseconds.
 *
 * Signals of one event-loop turn share one round trip (a Batcher); while one is in flight, new
 * signals gather for the next. Each notification carries `{"o": origin, "s": [[kind, id, tenant, operationKind?],
 * ...]}`, cut into chunks under the payload limit. Every signal goes to the `watch` channel;
 * `created` and `cancel-requested` also to `work`. A signal only means "look again": one lost (the
 * process dies after its commit, the database is unreachable) costs the listeners a poll interval.
 */
export class SignalSender {
  readonly #batcher: Batcher<ChangeSignal, void>;
  /** The latest signal's round trip: batches go one at a time, in order, so it ends after the rest. */
  #last: Promise<void> = Promise.resolve();

  constructor(pool: Pool, names: SqlNames, onError?: (error: unknown) => void) {
    this.#batcher = new Batcher<ChangeSignal, void>(
      async (signals) => {
        // A failure is reported, never retried: the listeners' polling covers a lost signal.
        await rows(pool, NOTIFY, notifications(names, signals)).catch((error: unknown) =>
          onError?.(error),
        );
        return signals.map(() => ({ ok: true, value: undefined }));
      },
      // Any number per round trip (chunks keep each payload under the limit), one round trip at a time.
      { maxBatch: Number.POSITIVE_INFINITY, maxInFlight: 1 },
    );
  }

  send(signal: ChangeSignal): void {
    this.#last = this.#batcher.add(signal);
  }

  /** Resolves once every signal sent so far has gone out (before the pool closes). */
  flush(): Promise<void> {
    return this.#last;
  }
}

/** The statement's two arrays: a channel and a payload per notification. */
function notifications(names: SqlNames, signals: readonly ChangeSignal[]): [string[], string[]] {
  const { watch, work } = names.channels;
  const entries = signals.map((signal) => JSON.stringify(entry(signal)));
  const workEntries = entries.filter((_, index) => WORK_SIGNALS.includes(signals[index]!.kind));
  const channels: string[] = [];
  const payloads: string[] = [];
  for (const [channel, list] of [
    [watch, entries],
    [work, workEntries],
  ] as const) {
    for (const chunk of chunks(list)) {
      channels.push(channel);
      payloads.push(`{"o":${JSON.stringify(names.origin)},"s":[${chunk.join(',')}]}`);
    }
  }
  return [channels, payloads];
}

/**
 * A signal as its listeners read it (PostgresNotifier). A tenant over 1 KiB is left out (null), an
 * operation kind over 256 bytes too: a signal whose entry could not fit a notification is no use.
 */
function entry(signal: ChangeSignal): unknown[] {
  const tenant = Buffer.byteLength(signal.tenant) <= 1024 ? signal.tenant : null;
  const kind = signal.operationKind;
  return kind !== undefined && Buffer.byteLength(kind) <= 256
    ? [signal.kind, signal.id, tenant, kind]
    : [signal.kind, signal.id, tenant];
}

/** Entries grouped so that each group's payload stays under CHUNK_BYTES. */
function chunks(entries: readonly string[]): string[][] {
  const result: string[][] = [];
  let current: string[] = [];
  let bytes = 0;
  for (const text of entries) {
    const size = Buffer.byteLength(text) + 1;
    if (current.length > 0 && bytes + size > CHUNK_BYTES) {
      result.push(current);
      current = [];
      bytes = 0;
    }
    current.push(text);
    bytes += size;
  }
  if (current.length > 0) result.push(current);
  return result;
}
