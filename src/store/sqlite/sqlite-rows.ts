import type { OperationColumns } from '../operation-columns.js';

export { jsonOrNull, toOperationRecord } from '../operation-columns.js';

/** A row of the `operations` table as better-sqlite3 returns it. */
export interface OperationRow extends OperationColumns {
  cancel_requested: number;
  queue_state: string;
  run_after: number;
  lease_token: string | null;
  lease_expires_at: number | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  ended_at: number | null;
  expires_at: number | null;
  tombstone_until: number | null;
}
