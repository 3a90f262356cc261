/** What a batch answers for one of its items. */
export type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

interface Pending<Item, Result> {
  item: Item;
  resolve: (value: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Batches calls made in the same event-loop turn into one `flush`, which answers every item (in
 * order) from one round trip. At most `maxInFlight` flushes run at once: calls made while they run
 * gather into the next batch, so under load batches grow instead of round trips multiplying (group
 * commit), and a lone call waits for nothing but its own turn. One flush in flight also keeps two
 * writes to one operation in the order they were made.
 */
export class Batcher<Item, Result> {
  readonly #flush: (items: Item[]) => Promise<Settled<Result>[]>;
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #pending: Pending<Item, Result>[] = [];
  #scheduled = false;
  #inFlight = 0;

  constructor(
    flush: (items: Item[]) => Promise<Settled<Result>[]>,
    options: { maxBatch: number; maxInFlight: number },
  ) {
    this.#flush = flush;
    this.#maxBatch = options.maxBatch;
    this.#maxInFlight = options.maxInFlight;
  }

  add(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.#pending.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#pending.length === 0 || this.#inFlight >= this.#maxInFlight)
      return;
    this.#scheduled = true;
    // setImmediate runs after this turn's I/O callbacks: calls made in the same turn share a batch.
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#pending.length > 0 && this.#inFlight < this.#maxInFlight) {
        void this.#run(this.#pending.splice(0, this.#maxBatch));
      }
    });
  }

  async #run(batch: Pending<Item, Result>[]): Promise<void> {
    this.#inFlight++;
    try {
      const settled = await this.#flush(batch.map((pending) => pending.item));
      batch.forEach((pending, index) => {
        const outcome = settled[index];
        if (outcome?.ok) pending.resolve(outcome.value);
        else pending.reject(outcome ? outcome.error : new Error('The batch gave no answer.'));
      });
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    } finally {
      this.#inFlight--;
      this.#schedule();
    }
  }
}

/**
 * Splits items into rounds in which no key appears twice, keeping their order: a statement can change
 * a row only once, so a second write to the same operation (or a second create with the same
 * idempotency key) goes into the next round, after the first has committed.
 */
export function rounds<Item>(items: readonly Item[], keyOf: (item: Item) => string | undefined) {
  const result: Item[][] = [];
  let current: Item[] = [];
  let keys = new Set<string>();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined && keys.has(key)) {
      result.push(current);
      current = [];
      keys = new Set();
    }
    if (key !== undefined) keys.add(key);
    current.push(item);
  }
  if (current.length > 0) result.push(current);
  return result;
}

/**
 * Runs one round as a batch and settles each of its items. If the server refuses the statement (one
 * item's bad value), each item runs alone so only that one fails. A connection error fails the whole
 * round: nothing says what committed, so nothing is retried.
 */
export async function settleRound<Item, Result>(
  items: readonly Item[],
  run: (items: readonly Item[]) => Promise<Result[]>,
  isStatementError: (error: unknown) => boolean,
): Promise<Settled<Result>[]> {
  try {
    return (await run(items)).map((value) => ({ ok: true, value }));
  } catch (error) {
    if (items.length === 1 || !isStatementError(error)) {
      return items.map(() => ({ ok: false, error }));
    }
    const alone: Settled<Result>[] = [];
    for (const item of items) alone.push(...(await settleRound([item], run, isStatementError)));
    return alone;
  }
}

/** Parallel arrays, one per parameter of a statement over `unnest($1, $2, ...)`: one row per item. */
export const columns = (count: number): unknown[][] => Array.from({ length: count }, () => []);

/** Appends one row (a value for each column, in order) to parallel arrays. */
export function appendRow(target: unknown[][], values: readonly unknown[]): void {
  for (const [index, value] of values.entries()) target[index]!.push(value);
}
