/**
 * 0003: durations of finished runs (see protocol/durations.ts). Append-only: never edit a released
 * migration, add the next. `schema` is the quoted schema name.
 *
 * duration_counts: per tenant, hour, kind, step path ('[]' = the operation) and status, a histogram
 * over logarithmic duration buckets; what `GET R/stats` reads. Pruned by age.
 * duration_samples: the newest successful durations per kind and step path, all tenants; what
 * estimates read. Trimmed to the newest 100 per kind and path after every write, and pruned by age.
 */
export const sql = (schema: string) => `
CREATE TABLE ${schema}.duration_counts (
  tenant text NOT NULL,
  hour bigint NOT NULL,
  kind text NOT NULL,
  path text NOT NULL,
  status text NOT NULL,
  bucket integer NOT NULL,
  count bigint NOT NULL,
  PRIMARY KEY (tenant, hour, kind, path, status, bucket)
);

CREATE INDEX duration_counts_by_hour ON ${schema}.duration_counts (hour);

CREATE TABLE ${schema}.duration_samples (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL,
  path text NOT NULL,
  duration_ms bigint NOT NULL,
  ended_at bigint NOT NULL
);

CREATE INDEX duration_samples_by_path ON ${schema}.duration_samples (kind, path, seq);
CREATE INDEX duration_samples_by_age ON ${schema}.duration_samples (ended_at);
`;
