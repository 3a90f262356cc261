/**
 * The store's database cannot be reached just now (restarting, connection lost, no connection
 * slots): nothing was decided, and the same call may succeed in a moment. The HTTP core answers it
 * `503 Unavailable` with `Retry-After`, which stock clients retry on their own, where a `500` would
 * read as a failure.
 */
export class StoreUnavailableError extends Error {
  constructor(cause: unknown) {
    super(
      `The database is unavailable (${cause instanceof Error ? cause.message : String(cause)}).`,
      {
        cause,
      },
    );
    this.name = 'StoreUnavailableError';
  }
}
