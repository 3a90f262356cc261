export interface SqliteOptions {
  /** File path, or `:memory:` (tests only: nothing survives the process). */
  path: string;
  /** How long a write waits for another process's lock before failing. Default 5000 ms. */
  busyTimeoutMs?: number;
}

export function sqliteOptions(options: SqliteOptions | string): Required<SqliteOptions> {
  const config = typeof options === 'string' ? { path: options } : options;
  if (!config.path) throw new TypeError('SqliteStore needs a file path, e.g. ./data/longrun.db');
  return { busyTimeoutMs: 5000, ...config };
}
