import type { OperationColumns } from '../operation-columns.js';
import { jsonOrNull } from '../operation-columns.js';
import type { ProgressUpdate } from '../store.js';

export { jsonOrNull, toOperationRecord } from '../operation-columns.js';

/** A row of the `operations` table as pg returns it: bigint columns arrive as strings. */
export interface OperationRow extends OperationColumns {
  cancel_requested: boolean;
  queue_state: string;
  run_after: string;
  lease_token: string | null;
  lease_expires_at: string | null;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  ended_at: string | null;
  expires_at: string | null;
  tombstone_until: string | null;
}

/** The progress columns of an update, finish or release, in statement order; absent fields are NULL. */
export function progressColumns(update: ProgressUpdate): unknown[] {
  return [
    update.message ?? null,
    update.percentComplete ?? null,
    jsonOrNull(update.progress),
    jsonOrNull(update.steps),
  ];
}
