import type { OperationRecord } from '../store/store.js';
import { retryAfterForRemaining } from './estimate.js';

/**
 * Seconds a poller should wait before asking again: never 0 (stock pollers spin on 0), short while the
 * operation is young or close to its end, longer for long-running work. Integer >= 1. With an estimate
 * of the time left (`remainingMs`) it follows the estimate (see retryAfterForRemaining); without one
 * (no history yet, or a 304, which never computes estimates) it goes by age.
 */
export function retryAfterSeconds(
  operation: OperationRecord,
  now: number,
  remainingMs?: number,
): number {
  if (remainingMs !== undefined) return retryAfterForRemaining(remainingMs);
  const age = (now - operation.createdAt) / 1000;
  if (age < 10) return 1;
  if (age < 60) return 2;
  return 5;
}
