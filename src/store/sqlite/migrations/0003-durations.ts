/**
 * 0003: durations of finished runs (see protocol/durations.ts). Append-only: never edit a released
 * migration, add the next.
 *
 * duration_counts: per tenant, hour, kind, step path ('[]' = the operation) and status, a histogram
 * over logarithmic duration buckets; what `GET R/stats` reads. Pruned by age.
 * duration_samples: the newest successful durations per kind and step path, all tenants; what
 * estimates read. Trimmed to the newest 100 per kind and path on every write, and pruned by age.
 */
export const sql = `
CREATE TABLE duration_counts (
  tenant TEXT NOT NULL,
  hour INTEGER NOT NULL,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  status TEXT NOT NULL,
  bucket INTEGER NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (tenant, hour, kind, path, status, bucket)
) WITHOUT ROWID;

CREATE INDEX duration_counts_by_hour ON duration_counts (hour);

CREATE TABLE duration_samples (
  seq INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  path TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  ended_at INTEGER NOT NULL
);

CREATE INDEX duration_samples_by_path ON duration_samples (kind, path, seq);
CREATE INDEX duration_samples_by_age ON duration_samples (ended_at);
`;
