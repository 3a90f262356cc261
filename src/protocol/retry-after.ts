import type { OperationRecord } from '../store/store.js';

/**
 * Seconds a poller should wait before asking again: never 0 (stock pollers spin on 0), short while the
 * operation is young or close to its end, longer for long-running work. Integer >= 1.
 */
export function retryAfterSeconds(operation: OperationRecord, now: number): number {
  const age = (now - operation.createdAt) / 1000;
  if (age < 10) return 1;
  if (age < 60) return 2;
  return 5;
}
